import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  RadioGroup,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { type StaffMember, staffRoles } from '../staff.model.js';
import { ConfirmBox, ConsoleNav, ConsolePage } from './staff.components.js';

/** The console's start: who is logged in, and the sections that exist. */
export function ConsoleHomePage({ member }: { member: StaffMember }) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={member} title={t('staff.home.title')}>
      <p>{t('staff.home.signedIn', { name: member.name || member.email, role: t(`staff.role.${member.role}`) })}</p>
      {member.role === 'administrator' && (
        <section aria-labelledby="section-members">
          <h2 id="section-members">{t('staff.members.title')}</h2>
          <p>{t('staff.home.membersHint')}</p>
          <p>
            <LinkButton href={`${base}/staff/members`}>{t('staff.members.open')}</LinkButton>
          </p>
        </section>
      )}
    </ConsolePage>
  );
}

/** Administrators: every staff member of the university, and the invitation form. */
export function MembersPage({
  me,
  members,
  values,
  errors,
  invited,
}: {
  me: StaffMember;
  members: StaffMember[];
  values: Record<string, string>;
  errors: FieldError[];
  invited: boolean;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('staff.members.title')} hasErrors={errors.length > 0}>
      <ConsoleNav member={me} />
      {invited && <Message kind="success">{t('staff.members.invited')}</Message>}
      <div class="table-wrap">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">{t('staff.members.name')}</th>
              <th scope="col">{t('staff.members.email')}</th>
              <th scope="col">{t('staff.members.staffNumber')}</th>
              <th scope="col">{t('staff.members.role')}</th>
              <th scope="col">{t('staff.members.status')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.id}>
                <td>
                  <a href={`${base}/staff/members/${member.id}`}>{member.name || member.email}</a>
                </td>
                <td>{member.email}</td>
                <td>{member.staffNumber ?? ''}</td>
                <td>{t(`staff.role.${member.role}`)}</td>
                <td>{t(`staff.status.${member.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('staff.members.inviteHeading')}</h2>
      <p>{t('staff.members.inviteIntro')}</p>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/staff/members`} class="stack">
        <Field
          name="email"
          label={t('staff.members.email')}
          type="email"
          value={values.email}
          errors={errors}
          maxLength={254}
        />
        <Field name="name" label={t('staff.members.name')} value={values.name} errors={errors} maxLength={100} />
        <Field
          name="staffNumber"
          label={t('staff.members.staffNumberOptional')}
          value={values.staffNumber}
          errors={errors}
          maxLength={40}
        />
        <RoleChoice selected={values.role ?? 'registrar'} errors={errors} />
        <Button>{t('staff.members.invite')}</Button>
      </Form>
    </Layout>
  );
}

function RoleChoice({ selected, errors }: { selected: string; errors: FieldError[] }) {
  const { t } = usePage();
  return (
    <RadioGroup
      name="role"
      legend={t('staff.members.role')}
      options={staffRoles.map((role) => ({ value: role, label: t(`staff.role.${role}`) }))}
      selected={selected}
      errors={errors}
    />
  );
}

/** One member: role change and disabling, both asking for the second factor again when it is not recent. */
export function MemberPage({
  me,
  member,
  errors,
  notice,
}: {
  me: StaffMember;
  member: StaffMember;
  errors: FieldError[];
  notice: 'roleChanged' | 'disabled' | undefined;
}) {
  const { t, base } = usePage();
  const action = `${base}/staff/members/${member.id}`;
  const editable = member.id !== me.id && member.status !== 'disabled';
  return (
    <Layout title={member.name || member.email} hasErrors={errors.length > 0}>
      <ConsoleNav member={me} />
      {notice && <Message kind="success">{t(`staff.member.${notice}`)}</Message>}
      <ErrorSummary errors={errors} />
      <dl class="summary">
        <dt>{t('staff.members.email')}</dt>
        <dd>{member.email}</dd>
        <dt>{t('staff.members.staffNumber')}</dt>
        <dd>{member.staffNumber ?? '—'}</dd>
        <dt>{t('staff.members.role')}</dt>
        <dd>{t(`staff.role.${member.role}`)}</dd>
        <dt>{t('staff.members.status')}</dt>
        <dd>{t(`staff.status.${member.status}`)}</dd>
      </dl>
      {editable ? (
        <>
          <h2>{t('staff.member.changeRole')}</h2>
          <p>{t('staff.member.reauthHint')}</p>
          <Form action={`${action}/role`} class="stack">
            <RoleChoice selected={member.role} errors={errors} />
            <Button>{t('staff.member.saveRole')}</Button>
          </Form>
          <h2>{t('staff.member.disableHeading')}</h2>
          <p>{t('staff.member.disableIntro')}</p>
          <Form action={`${action}/disable`} class="stack">
            <ConfirmBox name="disable" label={t('staff.member.disableConfirm')} errors={errors} />
            <Button variant="secondary">{t('staff.member.disable')}</Button>
          </Form>
        </>
      ) : (
        member.id === me.id && <p>{t('staff.member.yourself')}</p>
      )}
    </Layout>
  );
}
