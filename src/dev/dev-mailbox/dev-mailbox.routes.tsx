import type { FastifyInstance } from 'fastify';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { openMail } from '../../features/mail/mail.seal.js';
import type { ComposedMail } from '../../features/mail/mail.templates.js';
import type { SecretBox } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { formatDateTime } from '../../platform/format.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { sendPage } from '../../platform/views/render.js';
import type { StoredMail } from '../../features/mail/outbox.model.js';

/** A stored mail with its body opened, or none when it was blanked or sealed under another key. */
interface ShownMail {
  id: string;
  to: string;
  createdAt: number;
  body: ComposedMail | undefined;
}

function opened(box: SecretBox, mail: StoredMail): ShownMail {
  let body: ComposedMail | undefined;
  try {
    body = openMail(box, mail);
  } catch {
    body = undefined;
  }
  return { id: mail.id, to: mail.to, createdAt: mail.createdAt, body };
}

function MailboxPage({ mails }: { mails: ShownMail[] }) {
  const { t, lang } = usePage();
  return (
    <Layout title={t('devMailbox.title')}>
      <p>{t('devMailbox.intro')}</p>
      {mails.length === 0 ? (
        <p>{t('devMailbox.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('devMailbox.when')}</th>
                <th scope="col">{t('devMailbox.to')}</th>
                <th scope="col">{t('devMailbox.subject')}</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr key={mail.id}>
                  <td>{formatDateTime(mail.createdAt, lang)}</td>
                  <td>{mail.to}</td>
                  <td>
                    <a href={`/dev/mailbox/${mail.id}`}>{mail.body?.subject ?? t('devMailbox.unreadable')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

const URL_SPLIT = /(https?:\/\/[^\s]+)/;

function MailPage({ mail }: { mail: ShownMail }) {
  const { t, lang } = usePage();
  return (
    <Layout title={mail.body?.subject ?? t('devMailbox.unreadable')}>
      <dl class="mail-meta">
        <dt>{t('devMailbox.to')}</dt>
        <dd>{mail.to}</dd>
        <dt>{t('devMailbox.when')}</dt>
        <dd>{formatDateTime(mail.createdAt, lang)}</dd>
      </dl>
      <pre class="mail-body">
        {(mail.body?.text ?? '')
          .split(URL_SPLIT)
          .map((part, index) => (index % 2 === 1 ? <a href={part}>{part}</a> : part))}
      </pre>
      <p>
        <a href="/dev/mailbox">{t('devMailbox.back')}</a>
      </p>
    </Layout>
  );
}

/**
 * Development only (no SMTP_URL, not production): the mail the service would have sent, so a
 * newcomer can walk every flow without a mail server. The one place besides the worker that
 * opens a sealed mail body.
 */
export async function devMailboxRoutes(app: FastifyInstance, { uow, box }: { uow: UnitOfWork; box: SecretBox }) {
  app.get('/', async (request, reply) => {
    const mails = (await uow.repos.outbox.listRecent(100)).map((mail) => opened(box, mail));
    return sendPage(request, reply, <MailboxPage mails={mails} />);
  });

  app.get('/:id', async (request, reply) => {
    const mail = await uow.repos.outbox.findAnyTenant((request.params as { id: string }).id);
    if (!mail) throw new AppError('not_found');
    return sendPage(request, reply, <MailPage mail={opened(box, mail)} />);
  });
}
