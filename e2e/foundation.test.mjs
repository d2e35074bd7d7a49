// The platform foundation in a real browser: sign-in, MFA set-up and sign-in, switching
// organisation, inviting a member, the audit log, and accessibility of each page.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, seriousViolations, setUpMfa, signIn, startServer, totp } from './lib.mjs'

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
  const violations = await seriousViolations(page)
  assert.deepEqual(violations, [], `${what} has serious accessibility violations`)
}

/** Waits into the next 30-second step so a fresh code is not a replay of the last one. */
async function nextCode (secret) {
  const now = Date.now() / 1000
  const wait = (30 - (now % 30)) + 0.5
  await new Promise(resolve => setTimeout(resolve, wait * 1000))
  return totp(secret)
}

test('sign in, see the organisation, sign out', async () => {
  const page = await newPage(browser)
  await page.goto(`${server.url}/sign-in`)
  await assertAccessible(page, 'the sign-in page')
  await page.fill('#email', 'viewer@riverside.example')
  await page.fill('#password', 'wrong password')
  await page.click('button[type=submit]')
  assert.match(await page.textContent('.nhsuk-error-summary'), /Enter a correct email address and password/)
  await assertAccessible(page, 'the sign-in page with errors')
  await signIn(page, server.url, 'viewer@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  assert.equal(await page.textContent('h1'), 'Riverside University Hospitals NHS Foundation Trust')
  await assertAccessible(page, 'the organisation overview')
  await page.click('text=Sign out')
  await page.waitForURL(/\/sign-in$/)
  await page.context().close()
})

test('MFA set-up at first sign-in, then sign-in with a code', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'inspector@regulator.example')
  await page.waitForURL(/\/account\/mfa$/)
  await assertAccessible(page, 'the MFA set-up page')
  assert.ok(await page.locator('.hygeia-qr svg').count(), 'a QR code is shown')
  await page.fill('#code', '000000')
  await page.click('button[type=submit]')
  assert.match(await page.textContent('.nhsuk-error-summary'), /not right/)
  const secret = await setUpMfa(page)
  assert.equal(await page.locator('#recovery-codes li').count(), 10)
  await page.click('text=Continue')
  await page.waitForURL(/\/orgs\//)
  await page.click('text=Sign out')

  await signIn(page, server.url, 'inspector@regulator.example')
  await page.waitForURL(/\/sign-in\/mfa$/)
  await assertAccessible(page, 'the security code page')
  await page.fill('#code', await nextCode(secret))
  await page.click('button[type=submit]')
  await page.waitForURL(/\/orgs\//)
  await page.click('a.nhsuk-header__navigation-link:has-text("Oversight")')
  await page.waitForSelector('#remit')
  assert.match(await page.textContent('#remit'), /Meadow Lane Surgery/)
  await assertAccessible(page, 'the oversight page')
  await page.context().close()
})

test('switch between organisations', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'manager@oakwood.example')
  await page.waitForURL(/\/orgs\//)
  await page.goto(`${server.url}/account`)
  await assertAccessible(page, 'the account page')
  const before = (await page.textContent('#my-orgs strong.nhsuk-tag'))
  assert.equal(before.trim(), 'Current')
  await page.click('#my-orgs button:has-text("Switch") >> nth=0')
  await page.waitForURL(/\/orgs\//)
  const current = await page.textContent('#current-org')
  await page.goto(`${server.url}/`)
  await page.waitForURL(/\/orgs\//)
  assert.equal(await page.textContent('#current-org'), current, 'the switch is remembered')
  assert.match(current, /Oakwood|Willow/)
  await page.context().close()
})

test('an owner invites a member, who joins; the audit log shows it', async () => {
  const owner = await newPage(browser)
  await signIn(owner, server.url, 'owner@riverside.example')
  await setUpMfa(owner)
  await owner.click('text=Continue')
  await owner.waitForURL(/\/orgs\//)
  await owner.goto(new URL(await owner.getAttribute('a.nhsuk-header__navigation-link:has-text("Members")', 'href'), owner.url()).href)
  await owner.waitForSelector('#members')
  await assertAccessible(owner, 'the members page')
  await owner.fill('#email', 'new.pharmacist@riverside.example')
  await owner.selectOption('#role', 'contributor')
  await owner.click('button:has-text("Create invitation")')
  const link = (await owner.textContent('#invitation-link')).trim()
  assert.match(link, /\/invitations\/hyi_/)
  assert.match(await owner.textContent('#invitations'), /new.pharmacist@riverside.example/)

  const invited = await newPage(browser)
  await invited.goto(link)
  await assertAccessible(invited, 'the invitation page')
  await invited.fill('#display_name', 'Nadia Pharmacist')
  await invited.fill('#password', 'short')
  await invited.click('button[type=submit]')
  assert.match(await invited.textContent('.nhsuk-error-summary'), /at least 12 characters/)
  await invited.fill('#display_name', 'Nadia Pharmacist')
  await invited.fill('#password', 'heron maple cobalt river')
  await invited.click('button[type=submit]')
  await invited.waitForURL(/\/orgs\//)
  assert.equal(await invited.textContent('h1'), 'Riverside University Hospitals NHS Foundation Trust')
  assert.match(await invited.textContent('main'), /Contributor/)

  // The header folds later links under "More" when the navigation is long: follow the link.
  await owner.goto(new URL(await owner.getAttribute('a.nhsuk-header__navigation-link:has-text("Audit log")', 'href'), owner.url()).href)
  await owner.waitForSelector('#audit-rows')
  const log = await owner.textContent('#audit-rows')
  assert.match(log, /member\.join/)
  assert.match(log, /member\.invite/)
  await assertAccessible(owner, 'the audit log page')
  await owner.context().close()
  await invited.context().close()
})
