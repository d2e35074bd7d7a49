// The incident register in a real browser: report an incident, see the error summary for bad
// input, record a reportability assessment and see the statutory clock; each page accessible.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, seriousViolations, setUpMfa, signIn, startServer } from './lib.mjs'

let server, browser

before(async () => {
  server = await startServer()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function assertAccessible (page, what) {
  assert.deepEqual(await seriousViolations(page), [], `${what} has serious accessibility violations`)
}

/** `datetime-local` text for a time `hours` ago, on the browser's (UTC) clock. */
function hoursAgo (hours) {
  return new Date(Date.now() - hours * 3600e3).toISOString().slice(0, 16)
}

test('report an incident, assess it and see the 72-hour clock', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'security@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  // The security lead starts at the ICB, where they are a contributor; incidents are the trust's.
  await page.goto(`${server.url}/account`)
  await page.click('#my-orgs button:has-text("Switch to Riverside University Hospitals")')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  assert.match(await page.textContent('#current-org'), /University Hospitals/)
  await page.click('nav >> text=Incidents')
  await page.waitForURL(/\/incidents$/)
  await assertAccessible(page, 'the incident list')
  await page.click('text=Report an incident')
  await assertAccessible(page, 'the incident form')

  // Bad input: the error summary names each field, and the form keeps what was typed.
  await page.fill('#title', 'Ransomware on the imaging servers')
  await page.selectOption('#category', 'ransomware')
  await page.fill('#aware_at', hoursAgo(1))
  await page.click('button[type=submit]')
  assert.match(await page.textContent('.nhsuk-error-summary'), /detected_at|required/i)
  assert.equal(await page.inputValue('#title'), 'Ransomware on the imaging servers')
  await assertAccessible(page, 'the incident form with errors')

  // Europe/London is UTC in winter, so the browser's UTC text is the wall-clock time too.
  await page.fill('#detected_at', hoursAgo(3))
  await page.fill('#aware_at', hoursAgo(2))
  await page.check('#data-health')
  await page.click('button[type=submit]')
  await page.waitForURL(/\/incidents\/[0-9a-f-]+\?reported=1$/)
  assert.match(await page.textContent('.nhsuk-caption-l'), /^INC-\d{4}-0002$/, 'after the demo incident')
  await assertAccessible(page, 'the incident page')

  await page.check('#personal_data')
  await page.selectOption('#likelihood', 'likely')
  await page.selectOption('#harm', 'serious')
  await page.check('#essential_service_disrupted')
  await page.selectOption('#significant_impact', 'yes')
  await page.fill('#rationale', 'Imaging unavailable at both sites; patient images on the servers')
  await page.click('text=Record decisions')
  await page.waitForURL(/assessed=1$/)
  const reporting = await page.textContent('main')
  assert.match(reporting, /Information Commissioner/)
  assert.match(reporting, /NIS incident notification/)
  assert.equal(await page.locator('.nhsuk-tag', { hasText: 'Due' }).count(), 2, 'one 72-hour clock per regime')
  await assertAccessible(page, 'the incident page after assessment')
  await page.screenshot({ path: process.env.HYGEIA_SCREENSHOT ?? '/tmp/hygeia-incident.png', fullPage: true })

  await page.selectOption('#status', 'contained')
  await page.click('text=Change status')
  await page.waitForURL(/saved=1$/)
  assert.equal((await page.textContent('#incident-status')).trim(), 'Contained')

  // Attach evidence from the browser: a real multipart upload, sniffed and kept by its hash.
  const incidentUrl = page.url().split('?')[0]
  await page.click('summary:has-text("Attach evidence")')
  await page.fill('#evidence_title', 'Ransom note photographed at the console')
  await page.setInputFiles('#evidence_file', { name: 'ransom-note.pdf', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7 ransom note') })
  await page.click('button:has-text("Attach")')
  await page.waitForURL(/#evidence$/)
  assert.match(await page.textContent('#evidence-list'), /Ransom note photographed at the console/)
  await assertAccessible(page, 'the incident page with evidence')
  await page.click('#evidence-list a:has-text("Ransom note photographed")')
  await page.waitForURL(/\/evidence\/[0-9a-f-]+$/)
  assert.match(await page.textContent('#version-list'), /ransom-note\.pdf/)
  await assertAccessible(page, 'an evidence item')
  const href = await page.getAttribute('#version-list a', 'href')
  const file = await page.context().request.get(server.url + href)
  assert.equal(file.status(), 200)
  assert.equal(file.headers()['content-type'], 'application/pdf', 'the type comes from the bytes, not the browser')
  assert.equal(await file.text(), '%PDF-1.7 ransom note')
  await page.goto(incidentUrl)

  // Prepare the NIS notification from its clock, complete the draft, submit it.
  await page.click('a:has-text("Prepare the NIS incident notification")')
  await page.waitForURL(/\/notify\?regime=uk_nis&stage=notification$/)
  assert.equal(await page.inputValue('#operator_name'), 'Riverside University Hospitals NHS Foundation Trust')
  await assertAccessible(page, 'the notification form')
  await page.fill('#duration', '')
  await page.click('text=Submit to the regulator')
  assert.match(await page.textContent('.nhsuk-error-summary'), /Duration of the disruption is required/)
  for (const id of ['duration', 'essential_services', 'occurred_at', 'cross_border', 'other_information']) {
    if ((await page.inputValue(`#${id}`)).trim() === '') await page.fill(`#${id}`, 'Stated in the browser test')
  }
  await page.click('text=Submit to the regulator')
  await page.waitForURL(/\/notifications\/[0-9a-f-]+\?submitted=1$/)
  assert.equal((await page.textContent('#review-status')).trim(), 'Submitted')
  await assertAccessible(page, 'a submitted notification')
  await page.context().close()
})

test('the regulator sees the notification in its inbox and accepts it', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'analyst@regulator.example')
  await setUpMfa(page)
  await page.goto(server.url)
  await page.click('nav >> text=Notifications received')
  await page.waitForURL(/\/inbox$/)
  await assertAccessible(page, 'the inbox')
  assert.match(await page.textContent('#inbox'), /Riverside University Hospitals/)
  assert.match(await page.textContent('#records'), /Riverside University Hospitals NHS Foundation Trust\s*2\s*0/)
  await page.click('#inbox a >> nth=0')
  await assertAccessible(page, 'a received notification')
  await page.selectOption('#status', 'revision_requested')
  await page.click('text=Record review')
  assert.match(await page.textContent('.nhsuk-error-summary'), /Message is required/)
  await page.selectOption('#status', 'accepted')
  await page.fill('#message', 'Thank you: complete and on time')
  await page.click('text=Record review')
  await page.waitForURL(/reviewed=1$/)
  assert.equal((await page.textContent('#review-status')).trim(), 'Accepted')
  await page.context().close()
})
