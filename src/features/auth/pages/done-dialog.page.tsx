import { Dialog, LinkButton } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

/** The manuals' "…complete" dialogs with an OK button. */
export function DoneDialogPage({
  title,
  heading,
  lines,
  okHref,
}: {
  title: string;
  heading: string;
  lines: string[];
  okHref: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={title}>
      <Dialog title={heading}>
        {lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p>
          <LinkButton href={okHref}>{t('common.ok')}</LinkButton>
        </p>
      </Dialog>
    </Layout>
  );
}
