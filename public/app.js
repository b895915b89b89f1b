// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // The LANG pull-down switches as soon as a language is picked (§2.5); the button stays for no-JS.
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    const select = form.querySelector('select');
    const button = form.querySelector('button');
    if (!select) continue;
    if (button) button.hidden = true;
    select.addEventListener('change', () => form.requestSubmit());
  }
  // Move focus to the error summary or dialog so screen readers announce it first.
  const focusTarget = document.querySelector('[data-autofocus]');
  if (focusTarget instanceof HTMLElement) focusTarget.focus();
  // Double submits would race the server for nothing: disable the button once a form is sent.
  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', () => {
      setTimeout(() => {
        for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = true;
      }, 0);
    });
  }
});
