import { formatDateTime, formatTime } from '../../../platform/format.js';
import {
  BulletList,
  Button,
  CsrfField,
  Dialog,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  Message,
  Notes,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export type KeyDialog =
  | { kind: 'invalidated' }
  | { kind: 'reissued' }
  | { kind: 'cooldown'; seconds: number; reissueAt: number }
  | { kind: 'expired' };

/** The key's state as the screen tells it (L-8, #10). */
export interface KeyStatus {
  expiresAt: number;
  keyState: 'live' | 'invalidated' | 'expired';
  reissueAt: number;
  reissueInSeconds: number;
}

/** §2.3 steps 4–6 and §2.6: the authentication key input screen, with Reissue and Authenticate. */
export function KeyPage({
  flowId,
  status,
  errors,
  dialog,
  next,
}: {
  flowId: string;
  status: KeyStatus;
  errors: FieldError[];
  dialog?: KeyDialog | undefined;
  /** The page to return to after login, carried through both forms. */
  next?: string | undefined;
}) {
  const { t, base, lang } = usePage();
  const query = `?flow=${encodeURIComponent(flowId)}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  const action = `${base}/login/key${query}`;
  return (
    <Layout title={t('key.title')} hasErrors={errors.length > 0}>
      {dialog && (
        <Dialog title={t(`key.dialog.${dialog.kind}.title`)}>
          <p>
            {t(
              `key.dialog.${dialog.kind}.body`,
              dialog.kind === 'cooldown' ? { seconds: dialog.seconds, time: formatTime(dialog.reissueAt, lang) } : {},
            )}
          </p>
        </Dialog>
      )}
      <ErrorSummary errors={errors} />
      {status.keyState === 'live' ? (
        <>
          <p>{t('key.intro1')}</p>
          <p>{t('key.intro2')}</p>
          <p class="key-expiry">{t('key.expiry', { expiry: formatDateTime(status.expiresAt, lang) })}</p>
        </>
      ) : (
        <Message kind="warning">
          <p class="key-state">{t(`key.state.${status.keyState}`)}</p>
          <p>
            {status.reissueInSeconds > 0
              ? t('key.state.reissueAt', {
                  time: formatTime(status.reissueAt, lang),
                  seconds: status.reissueInSeconds,
                })
              : t('key.state.reissueNow')}
          </p>
        </Message>
      )}
      <Form action={action} class="stack">
        <Field
          name="key"
          label={t('key.key')}
          errors={errors}
          autocomplete="one-time-code"
          inputMode="numeric"
          maxLength={20}
        />
        <Notes>
          <BulletList
            items={[t('key.notes.enter'), t('key.notes.lost'), t('key.notes.closed'), t('key.notes.trusted')]}
          />
        </Notes>
        <div class="actions">
          <button type="submit" class="button button--secondary" form="reissue-form">
            {t('key.reissue')}
          </button>
          <Button>{t('key.authenticate')}</Button>
        </div>
      </Form>
      {/* Its own form, so Enter in the key field always means Authenticate. */}
      <form id="reissue-form" method="post" action={`${base}/login/key/reissue${query}`}>
        <CsrfField />
      </form>
    </Layout>
  );
}
