// Assets and national alerts in a real browser: the security lead imports a register
// (dry run first, then the import), the national team drafts and publishes an alert, the
// trust sees its response pre-filled from the register and acknowledges it, and the
// regulator sees the exposure across its remit.
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

async function accessible (page, what) {
  assert.deepEqual(await seriousViolations(page), [], `${what} has serious accessibility violations`)
}

async function follow (page, label) {
  await page.goto(server.url + await page.getAttribute(`nav a:has-text("${label}")`, 'href'))
}

async function asTrustLead () {
  const page = await newPage(browser)
  await signIn(page, server.url, 'security@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.goto(`${server.url}/account`)
  await page.click('#my-orgs button:has-text("Switch to Riverside University Hospitals")')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  return page
}

const REGISTER = 'Asset Tag,Device Name,Type,Operating System,Criticality\n' +
  'LAB-001,legacy-lab-01,server,Windows Server 2008 R2 Enterprise,high\n' +
  'LAB-002,lab-analyser,medical device,Windows 7 Professional SP1,critical\n'

test('the security lead imports a register after a dry run', async () => {
  const page = await asTrustLead()
  await follow(page, 'Assets')
  await accessible(page, 'the asset register')
  // A file with a bad kind is refused, naming the line and column.
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('key,name,kind\nX-1,x,toaster\n') })
  await page.click('main form button:has-text("Upload")')
  assert.match(await page.textContent('#file-error'), /bad\.csv line 2, column kind/)
  await page.setInputFiles('#file', { name: 'lab.csv', mimeType: 'text/csv', buffer: Buffer.from(REGISTER) })
  await page.check('#keep_missing')
  await page.click('main form button:has-text("Upload")')
  assert.match(await page.textContent('#import-report'), /Dry run: nothing has been saved yet/)
  assert.match(await page.textContent('#diff-added'), /LAB-001.*LAB-002/s)
  assert.doesNotMatch(await page.textContent('#assets'), /legacy-lab-01/)
  await accessible(page, 'the dry run')
  await page.click('button:has-text("Import these changes")')
  assert.match(await page.textContent('#import-report'), /Imported/)
  assert.match(await page.textContent('#assets'), /legacy-lab-01.*Unsupported/s)
  await page.click('#assets a:has-text("legacy-lab-01")')
  assert.match(await page.textContent('#software'), /Windows Server 2008 R2.*Unsupported/s)
  await accessible(page, 'an asset')
  await follow(page, 'Unsupported systems')
  assert.match(await page.textContent('#unsupported'), /legacy-lab-01.*No plan or acceptance/s)
  await accessible(page, 'the unsupported systems report')
  // One asset by hand: the form names what is missing, then saves.
  await follow(page, 'Assets')
  await page.click('#add-asset')
  await accessible(page, 'the asset form')
  await page.fill('#key', 'LAB-900')
  await page.fill('#name', 'ward-kiosk')
  await page.click('#save-asset')
  assert.match(await page.textContent('.nhsuk-error-summary'), /choose the kind of asset/)
  await accessible(page, 'the asset form with an error')
  await page.selectOption('#kind', 'end_user_device')
  await page.fill('#os', 'Windows 11 Enterprise')
  await page.click('#save-asset')
  assert.match(await page.textContent('h1'), /ward-kiosk/)
  await page.context().close()
})

test('the national team drafts and publishes an alert', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'publisher@ncoc.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await follow(page, 'National alerts')
  await accessible(page, 'the national alerts page')
  await page.fill('#reference', 'CC-E2E-1')
  await page.fill('#title', 'Exploited flaw in Windows Server 2008 R2')
  await page.selectOption('#severity', 'high')
  await page.fill('#cves', 'CVE-2026-11111')
  await page.fill('#products', 'Windows Server 2008 R2')
  await page.fill('#actions', 'Isolate the servers\nUpgrade them')
  // A deadline that is not a number is named; a whole number replaces the severity's default.
  await page.fill('#remediate_days', 'a week')
  await page.click('button:has-text("Save draft")')
  assert.match(await page.textContent('#remediate_days-error'), /is not a whole number/)
  await page.fill('#remediate_days', '7')
  await page.click('button:has-text("Save draft")')
  await page.waitForURL(/\/national-alerts\/[0-9a-f-]+$/)
  assert.match(await page.textContent('#remediate-by'), /within 7 days of publication/)
  assert.match(await page.textContent('#acknowledge-by'), /within 48 hours of publication/)
  assert.match(await page.textContent('#alert-status'), /Draft/)
  await page.click('#publish')
  await page.waitForURL(/\/national-alerts\/[0-9a-f-]+$/)
  assert.match(await page.textContent('#exposure'), /Likely affected: 1/)
  await accessible(page, 'a published alert with its exposure')
  await page.context().close()
})

test('the trust sees its response pre-filled and acknowledges', async () => {
  const page = await asTrustLead()
  await follow(page, 'Cyber alerts')
  await accessible(page, 'the alert record')
  await page.click('#alert-record a:has-text("CC-E2E-1")')
  assert.match(await page.textContent('#prefill'), /Likely affected.*1 asset likely affected/s)
  assert.match(await page.textContent('#matches'), /legacy-lab-01.*runs Windows Server 2008 R2/s)
  await accessible(page, 'an alert response')
  await page.click('#acknowledge')
  assert.match(await page.textContent('#response-state'), /Acknowledged: acknowledged/)
  await page.context().close()
})

test('the regulator sees the exposure across its remit', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'inspector@regulator.example')
  await setUpMfa(page)
  await page.goto(server.url)
  await follow(page, 'National alerts')
  await page.click('#national-alerts a:has-text("CC-E2E-1")')
  assert.match(await page.textContent('#exposure'), /Acknowledged: 1/)
  await page.click('#exposure a:has-text("Likely affected")')
  assert.match(await page.textContent('#responses'), /Riverside University Hospitals.*Acknowledged/s)
  await page.click('#responses a:has-text("Riverside University Hospitals")')
  assert.match(await page.textContent('#matches'), /legacy-lab-01/)
  await accessible(page, 'an organisation\'s response seen by the regulator')
  await page.goto(server.url + (await page.getAttribute('nav a:has-text("End-of-life census")', 'href')))
  assert.match(await page.textContent('#census'), /Windows Server 2008 R2/)
  await accessible(page, 'the census')
  // Narrowed to a region or group: the ICB holds the trust, the care group does not.
  await page.selectOption('#parent', { label: 'Riverside Integrated Care Board' })
  await page.click('button:has-text("Filter")')
  assert.match(await page.textContent('#census'), /Windows Server 2008 R2/)
  await page.selectOption('#parent', { label: 'Oakwood Care Group' })
  await page.click('button:has-text("Filter")')
  assert.doesNotMatch(await page.textContent('#census'), /Windows Server 2008 R2/)
  assert.equal(await page.inputValue('#parent'), await page.getAttribute('#parent option:has-text("Oakwood Care Group")', 'value'))
  await page.context().close()
})

test('a care home lets its group answer, and the group acknowledges for it', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'manager@oakwood.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  const switchTo = async (name) => {
    await page.goto(`${server.url}/account`)
    await page.click(`#my-orgs button:has-text("Switch to ${name}")`)
    await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  }
  await switchTo('Oakwood House')
  await follow(page, 'Cyber alerts')
  await page.click('button:has-text("Let Oakwood Care Group answer for us")')
  assert.match(await page.textContent('#group ~ form, form[action$="/alerts/delegation"]'), /may answer alerts for this organisation/)
  await accessible(page, 'the alert record with the group choice')
  await switchTo('Oakwood Care Group')
  await follow(page, 'Cyber alerts')
  await page.click('#alert-record a:has-text("CC-DEMO-1")')
  await page.click('button:has-text("Answer for the members ticked")')
  assert.match(await page.textContent('#member'), /tick the members/)
  await page.check('#for-members ~ form input[name="member"]')
  await page.click('button:has-text("Answer for the members ticked")')
  await page.waitForURL(/\/alerts\/[0-9a-f-]+$/)
  await accessible(page, 'an alert response with the members form')
  await switchTo('Oakwood House')
  await follow(page, 'Cyber alerts')
  await page.click('#alert-record a:has-text("CC-DEMO-1")')
  assert.match(await page.textContent('#response-state'), /acknowledged .* by manager@oakwood\.example/)
  await page.context().close()
})
