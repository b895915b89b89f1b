import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { maskEmail } from '../../platform/format.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { session } from './auth.http.js';
import { changeSecondPasswordForm, keptNewSecondPassword, mailAddressForm } from './auth.forms.js';
import type { AuthServices } from './auth.services.js';
import { toLinkPage } from './journey.http.js';
import { sendLinkProblem } from './link-problem.js';
import { ChangeMailAddressPage } from './pages/change-mail-address.page.js';
import { ChangeSecondPasswordPage } from './pages/change-second-password.page.js';
import { DoneDialogPage } from './pages/done-dialog.page.js';
import { LinkConfirmPage, MailSentPage } from './pages/mailed-link.pages.js';
import { ManualPage } from './pages/manual.page.js';
import { TrustedBrowsersPage } from './pages/trusted-browsers.page.js';
import { TwoFactorPage } from './pages/two-factor.page.js';

/** The logged-in start screen and the menu (§2.4a, §2.4b, §2.7, §3.1, L-14, L-19). */
export async function settingsRoutes(app: FastifyInstance, { auth }: { auth: AuthServices }) {
  const { http } = auth;
  const loggedIn = { preHandler: http.requireSession };

  app.get('/manual', loggedIn, async (request, reply) => sendPage(request, reply, <ManualPage />));

  // §2.4a: Change mail address.
  app.get('/settings/mail-address', loggedIn, async (request, reply) => {
    const kept = await http.forms.recall<{ newAddress: string; check: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <ChangeMailAddressPage
        address={kept?.values.newAddress ?? ''}
        check={kept?.values.check}
        errors={kept?.errors ?? []}
        current={maskEmail(session(request).account.email ?? '')}
        askSecondPassword={!auth.settings.recentlyReauthenticated(session(request))}
      />,
      kept?.status,
    );
  });

  app.post('/settings/mail-address', loggedIn, async (request, reply) => {
    const current = session(request);
    const { account } = current;
    const address = formField(request.body, 'newAddress', 300);
    const check = formField(request.body, 'check', 300);
    const actor = http.actor(request, reply);
    const reauth = await auth.settings.reauthenticate(
      request.tenant,
      current,
      formField(request.body, 'secondPassword', 256),
      actor,
    );
    const result =
      reauth.status === 'invalid'
        ? reauth
        : await auth.settings.requestEmailChange(request.tenant, account, address, check, actor);
    if (result.status === 'invalid') {
      // The second password is never kept; whether it is asked again follows the session.
      return http.forms.redirect(request, reply, `${tenantBase(request)}/settings/mail-address`, {
        values: { newAddress: address, check },
        errors: fieldErrors(result.violations, mailAddressForm),
        status: 422,
      });
    }
    return reply.redirect(`${tenantBase(request)}/settings/mail-address/sent`, 303);
  });

  app.get('/settings/mail-address/sent', loggedIn, async (request, reply) =>
    sendPage(
      request,
      reply,
      <MailSentPage
        title={request.t('changeMail.sentTitle')}
        finish={request.t('changeMail.sentFinish')}
        maskedAddress={
          (await auth.settings.pendingEmailChange(request.tenant, session(request).account)) ??
          request.t('changeMail.newAddressWord')
        }
        minutes={request.tenant.policy.linkLifetimeMinutes}
        backHref={`${tenantBase(request)}/home`}
        backLabel={request.t('common.toHome')}
      />,
    ),
  );

  app.get('/settings/mail-address/confirm', async (request, reply) => {
    const token = queryField(request.query, 'token');
    const link = await auth.settings.inspectEmailChange(request.tenant, token);
    if (link.status !== 'valid') return sendLinkProblem(request, reply, link.status, 'change');
    return sendPage(
      request,
      reply,
      <LinkConfirmPage
        title={request.t('changeMail.confirmTitle')}
        intro={request.t('changeMail.confirmIntro', { address: link.flow.context.newEmail })}
        action={`${tenantBase(request)}/settings/mail-address/confirm`}
        token={token}
        button={request.t('changeMail.confirmButton')}
      />,
    );
  });

  app.post('/settings/mail-address/confirm', async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const outcome = await auth.settings.confirmEmailChange(
      request.tenant,
      token,
      http.actor(request, reply),
      request.currentSession?.idHash,
    );
    if (outcome.status !== 'completed') return toLinkPage(request, reply, '/settings/mail-address/confirm', token);
    return reply.redirect(`${tenantBase(request)}/settings/mail-address/changed`, 303);
  });

  app.get('/settings/mail-address/changed', async (request, reply) =>
    sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('changeMail.title')}
        heading={request.t('changeMail.changedTitle')}
        lines={[request.t('changeMail.changedLine')]}
        okHref={`${tenantBase(request)}/${request.currentSession ? 'home' : 'login'}`}
      />,
    ),
  );

  // §2.4b: Change second password.
  app.get('/settings/second-password', loggedIn, async (request, reply) => {
    const kept = await http.forms.recall<{ candidate: string; check: string }>(request, reply);
    return sendPage(
      request,
      reply,
      <ChangeSecondPasswordPage errors={kept?.errors ?? []} kept={kept?.values} />,
      kept?.status,
    );
  });

  app.post('/settings/second-password', loggedIn, async (request, reply) => {
    const current = session(request);
    const typed = {
      candidate: formField(request.body, 'newSecondPassword', 256),
      check: formField(request.body, 'check', 256),
    };
    const result = await auth.secondPassword.change(
      request.tenant,
      current.account,
      { old: formField(request.body, 'oldSecondPassword', 256), ...typed },
      http.actor(request, reply),
      current.idHash,
    );
    if (result.status !== 'done') {
      // A wrong old second password is never kept; the new one and its check are, unless refused.
      const errors = result.status === 'invalid' ? fieldErrors(result.violations, changeSecondPasswordForm) : [];
      return http.forms.redirect(request, reply, `${tenantBase(request)}/settings/second-password`, {
        values: keptNewSecondPassword(typed, errors, { candidate: 'newSecondPassword', check: 'check' }),
        errors,
        status: 422,
      });
    }
    return reply.redirect(`${tenantBase(request)}/settings/second-password/changed`, 303);
  });

  app.get('/settings/second-password/changed', loggedIn, async (request, reply) =>
    sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('changeSecondPassword.title')}
        heading={request.t('changeSecondPassword.changedTitle')}
        lines={[request.t('changeSecondPassword.changedLine')]}
        okHref={`${tenantBase(request)}/home`}
      />,
    ),
  );

  // §2.7: Two-factor authentication settings.
  app.get('/settings/two-factor', loggedIn, async (request, reply) => {
    const { account } = session(request);
    const mandatory = auth.settings.twoFactorLocked(request.tenant);
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <TwoFactorPage
        enabled={mandatory || account.twoFactorEnabled}
        mandatory={mandatory}
        askSecondPassword={!auth.settings.recentlyReauthenticated(session(request))}
        errors={kept?.errors ?? []}
      />,
      kept?.status,
    );
  });

  app.post('/settings/two-factor', loggedIn, async (request, reply) => {
    const current = session(request);
    const { account } = current;
    // The confirmation form always sends the state it offered; anything else changes nothing.
    const answer = formField(request.body, 'enable');
    if (answer !== 'true' && answer !== 'false') throw new AppError('bad_request');
    const enable = answer === 'true';
    if (!enable) {
      const reauth = await auth.settings.reauthenticate(
        request.tenant,
        current,
        formField(request.body, 'secondPassword', 256),
        http.actor(request, reply),
      );
      if (reauth.status === 'invalid')
        return http.forms.redirect(request, reply, `${tenantBase(request)}/settings/two-factor`, {
          values: {},
          errors: fieldErrors(reauth.violations, mailAddressForm),
          status: 422,
        });
    }
    const outcome = await auth.settings.setTwoFactor(request.tenant, account, enable, http.actor(request, reply));
    if (outcome.status === 'mandatory')
      return http.forms.redirect(request, reply, `${tenantBase(request)}/settings/two-factor`, {
        values: {},
        errors: [],
        status: 409,
      });
    return reply.redirect(`${tenantBase(request)}/settings/two-factor/changed`, 303);
  });

  app.get('/settings/two-factor/changed', loggedIn, async (request, reply) => {
    const { account } = session(request);
    const on = request.tenant.policy.twoFactorMandatory || account.twoFactorEnabled;
    return sendPage(
      request,
      reply,
      <DoneDialogPage
        title={request.t('twoFactor.title')}
        heading={request.t('twoFactor.changedTitle')}
        lines={[
          request.t('twoFactor.current', {
            state: on ? request.t('twoFactor.stateOn') : request.t('twoFactor.stateOff'),
          }),
        ]}
        okHref={`${tenantBase(request)}/home`}
      />,
    );
  });

  // L-19: trusted browsers.
  app.get('/settings/browsers', loggedIn, async (request, reply) => {
    const browsers = await auth.settings.trustedBrowsers(request.tenant, session(request).account);
    const revoked = queryField(request.query, 'revoked');
    return sendPage(
      request,
      reply,
      <TrustedBrowsersPage browsers={browsers} revoked={/^\d+$/.test(revoked) ? Number(revoked) : undefined} />,
    );
  });

  app.post('/settings/browsers/revoke', loggedIn, async (request, reply) => {
    const browser = formField(request.body, 'browser', 64);
    const count = await auth.settings.revokeTrustedBrowser(
      request.tenant,
      session(request).account,
      browser === 'all' ? 'all' : browser,
      http.actor(request, reply),
    );
    return reply.redirect(`${tenantBase(request)}/settings/browsers?revoked=${count}`, 303);
  });
}
