import { Dialog, LinkButton } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

/**
 * The manuals' "…complete" dialogs with an OK button. The page is titled by the journey (Change
 * second password) and the dialog by its outcome (Second password changed), never twice the same (#10).
 */
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
