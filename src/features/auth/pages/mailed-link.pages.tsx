import { Button, Form, LinkButton, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

/** §2.1 step 6 and §2.4a: "A confirmation mail has been sent." */
export function MailSentPage({
  title,
  finish,
  maskedAddress,
  minutes,
  backHref,
  backLabel,
}: {
  title: string;
  /** What the URL completes: setting the address (§2.1) or changing it (§2.4a). */
  finish?: string;
  maskedAddress: string;
  minutes: number;
  backHref: string;
  backLabel: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <Message kind="success">
        <p>{t('mailAddress.sent.line1')}</p>
        <p>{finish ?? t('mailAddress.sent.line2')}</p>
      </Message>
      <p>{t('mailAddress.sent.address', { address: maskedAddress })}</p>
      <p>{t('mailAddress.sent.validFor', { minutes })}</p>
      <p>
        <LinkButton href={backHref} variant="secondary">
          {backLabel}
        </LinkButton>
      </p>
    </Layout>
  );
}

/**
 * The page a mailed one-time URL opens (L-18): it shows a button and touches nothing, so a
 * mail scanner that follows the link cannot use it up.
 */
export function LinkConfirmPage({
  title,
  intro,
  action,
  token,
  button,
}: {
  title: string;
  intro: string;
  action: string;
  token: string;
  button: string;
}) {
  return (
    <Layout title={title}>
      <p>{intro}</p>
      <Form action={action}>
        <input type="hidden" name="token" value={token} />
        <Button>{button}</Button>
      </Form>
    </Layout>
  );
}

/** An expired, used or unknown URL: a plain page that says so and offers the next step (L-18). */
export function LinkProblemPage({
  status,
  nextHref,
  nextLabel,
  nextHint,
}: {
  status: 'expired' | 'used' | 'unknown';
  nextHref: string;
  nextLabel: string;
  nextHint: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={t(`link.${status}.title`)}>
      <p>{t(`link.${status}.body`)}</p>
      <p>{nextHint}</p>
      <p>
        <LinkButton href={nextHref}>{nextLabel}</LinkButton>
      </p>
    </Layout>
  );
}
