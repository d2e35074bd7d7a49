// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported')
}
initAll()

// Copy buttons for secrets shown once (API tokens, invitation links, recovery codes).
for (const button of document.querySelectorAll('[data-copy-target]')) {
  button.hidden = false
  button.addEventListener('click', async () => {
    const target = document.getElementById(button.dataset.copyTarget)
    if (target && navigator.clipboard) {
      await navigator.clipboard.writeText(target.textContent.trim())
      button.textContent = 'Copied'
    }
  })
}
