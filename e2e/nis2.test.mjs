// An EU NIS2 incident end to end in a real browser: the trust takes on NIS2, reports a
// significant incident, sends the early warning and the notification, the regulator accepts
// the notification and asks for an intermediate report by a deadline, and the trust sends
// that and the final report, watching each clock settle.
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

function hoursAgo (hours) {
  return new Date(Date.now() - hours * 3600e3).toISOString().slice(0, 16)
}

/** Fills every empty box of the notification form and submits it. */
async function completeAndSubmit (page) {
  for (const box of await page.$$('main form textarea, main form input[type=text]')) {
    if ((await box.inputValue()).trim() === '') await box.fill('Stated in the browser test')
  }
  await page.click('text=Submit to the regulator')
  await page.waitForURL(/\/notifications\/[0-9a-f-]+\?submitted=1$/)
}

/** The state shown for a stage's clock on the incident page. */
async function clockState (page, title) {
  const row = page.locator('tr', { hasText: title })
  return (await row.locator('.nhsuk-tag').first().textContent()).trim()
}

let incidentPath

test('the trust reports under NIS2 and sends the early warning and the notification', async () => {
  const owner = await newPage(browser)
  await signIn(owner, server.url, 'owner@riverside.example')
  await setUpMfa(owner)
  await owner.goto(server.url)
  // Settings may sit under the header's "More" menu when the navigation is long: follow its link.
  await owner.goto(server.url + await owner.getAttribute('nav a:has-text("Settings")', 'href'))
  await owner.check('#regime-eu_nis2')
  await owner.click('main form button[type=submit] >> nth=0')
  await owner.waitForURL(/saved=1/)
  assert.ok(await owner.isChecked('#regime-eu_nis2'))
  await owner.context().close()

  const page = await newPage(browser)
  await signIn(page, server.url, 'security@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.goto(`${server.url}/account`)
  await page.click('#my-orgs button:has-text("Switch to Riverside University Hospitals")')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.click('nav >> text=Incidents')
  await page.click('text=Report an incident')
  await page.fill('#title', 'Outage of the cross-border teleradiology link')
  await page.selectOption('#category', 'loss_of_service')
  await page.fill('#detected_at', hoursAgo(3))
  await page.fill('#aware_at', hoursAgo(2))
  await page.click('button[type=submit]')
  await page.waitForURL(/\/incidents\/[0-9a-f-]+\?reported=1$/)
  incidentPath = new URL(page.url()).pathname

  await page.check('#severe_disruption_or_loss')
  await page.fill('#rationale', 'Reporting to partner hospitals abroad stopped for a day')
  await page.click('text=Record decisions')
  await page.waitForURL(/assessed=1$/)
  assert.match(await page.textContent('main'), /NIS2/)
  assert.equal(await clockState(page, 'Early warning'), 'Due')
  await seriousViolations(page).then(v => assert.deepEqual(v, [], 'the incident page under NIS2'))

  await page.click('a:has-text("Prepare the Early warning")')
  await page.waitForURL(/regime=eu_nis2&stage=early_warning$/)
  await completeAndSubmit(page)
  await page.goto(server.url + incidentPath)
  assert.equal(await clockState(page, 'Early warning'), 'Submitted on time')
  await page.click('a:has-text("Prepare the Incident notification")')
  await page.waitForURL(/regime=eu_nis2&stage=notification$/)
  await completeAndSubmit(page)
  await page.goto(server.url + incidentPath)
  assert.equal(await clockState(page, 'Incident notification'), 'Submitted on time')
  // The final report runs a month from the notification; nothing is asked on request yet.
  assert.equal(await clockState(page, 'Final report'), 'Due')
  assert.equal(await clockState(page, 'Intermediate report'), 'Not due')
  await page.context().close()
})

test('the regulator accepts the notification and asks for an intermediate report', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'inspector@regulator.example')
  await setUpMfa(page)
  await page.goto(server.url)
  await page.click('nav >> text=Notifications received')
  await page.locator('#inbox tr', { hasText: 'NIS2' }).filter({ hasText: /notification v1/i }).locator('a').click()
  await page.selectOption('#status', 'accepted')
  await page.click('text=Record review')
  await page.waitForURL(/reviewed=1$/)
  assert.equal((await page.textContent('#review-status')).trim(), 'Accepted')

  await page.selectOption('#stage', 'intermediate')
  await page.click('text=Ask for the report')
  assert.match(await page.textContent('.nhsuk-error-summary'), /Deadline is required/)
  await page.fill('#due_at', new Date(Date.now() + 48 * 3600e3).toISOString().slice(0, 16))
  await page.fill('#request_message', 'Root cause so far and the patients affected')
  await page.click('text=Ask for the report')
  await page.waitForURL(/requested=1$/)
  assert.match(await page.textContent('#request-list'), /intermediate by .*Root cause so far/)
  assert.deepEqual(await seriousViolations(page), [], 'a received notification with a request')
  await page.context().close()
})

test('the trust sends the intermediate and the final report', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'security@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.goto(server.url + incidentPath)
  assert.equal(await clockState(page, 'Intermediate report'), 'Due')
  assert.match(await page.textContent('#events'), /asked for the intermediate report .*Root cause so far/)
  await page.click('a:has-text("Prepare the Intermediate report")')
  await page.waitForURL(/stage=intermediate$/)
  await completeAndSubmit(page)
  await page.goto(server.url + incidentPath)
  await page.click('a:has-text("Prepare the Final report")')
  await page.waitForURL(/stage=final$/)
  await completeAndSubmit(page)
  await page.goto(server.url + incidentPath)
  for (const stage of ['Early warning', 'Incident notification', 'Intermediate report', 'Final report']) {
    assert.equal(await clockState(page, stage), 'Submitted on time', stage)
  }
  await page.context().close()
})
