// Passkeys for the staff console (#12, A-1). Each form[data-passkey] carries the server's WebAuthn
// options; this asks the browser's authenticator and sends its answer in the form. Without
// WebAuthn (or without JavaScript) the forms stay hidden and the code form serves.
document.addEventListener('DOMContentLoaded', () => {
  const supported =
    window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function' &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';
  if (!supported) return;
  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.hidden = false;
    const error = form.querySelector('[data-passkey-error]');
    form.addEventListener('submit', async (event) => {
      if (form.dataset.passkeyDone) return;
      event.preventDefault();
      if (error) error.hidden = true;
      try {
        const options = JSON.parse(form.dataset.passkey);
        const credential =
          form.dataset.passkeyMode === 'create'
            ? await navigator.credentials.create({
                publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
              })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector('input[name="credential"]').value = JSON.stringify(credential.toJSON());
        form.dataset.passkeyDone = 'true';
        form.submit();
      } catch {
        if (error) error.hidden = false;
        // app.js disables a sent form's buttons; this one was not sent, so it may be tried again.
        setTimeout(() => {
          for (const button of form.querySelectorAll('button')) button.disabled = false;
        }, 0);
      }
    });
  }
});
