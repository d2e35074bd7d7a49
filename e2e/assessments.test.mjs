// A CAF assessment from start to publication in a real browser: the security lead starts
// one against the GovAssure Baseline profile, ticks an outcome's statements, uploads the
// evidence behind it, the SIRO signs it off, the published report shows its digest, and the
// regulator reviews it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, seriousViolations, setUpMfa, signIn, startServer } from './lib.mjs'

let server, browser, assessmentPath

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

/** Follows a navigation link by its href (the header may fold links under "More"). */
async function follow (page, label) {
  await page.goto(server.url + await page.getAttribute(`nav a:has-text("${label}")`, 'href'))
}

test('the security lead starts a CAF assessment, answers an outcome and adds evidence', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'security@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.goto(`${server.url}/account`)
  await page.click('#my-orgs button:has-text("Switch to Riverside University Hospitals")')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await follow(page, 'Assessments')
  await accessible(page, 'the assessments page')

  // A missing period is named; the rest of the form is kept.
  await page.selectOption('#framework_id', { label: 'NCSC Cyber Assessment Framework 3.2 (ncsc-caf 3.2)' })
  await page.fill('#title', 'CAF: patient administration system')
  await page.selectOption('#profile', 'govassure-baseline')
  await page.click('text=Start assessment')
  assert.match(await page.textContent('#period-error'), /is required/)
  assert.equal(await page.inputValue('#title'), 'CAF: patient administration system')
  await page.fill('#period', '2025-26')
  await page.click('text=Start assessment')
  await page.waitForURL(/\/assessments\/[0-9a-f-]+$/)
  assessmentPath = new URL(page.url()).pathname
  assert.match(await page.textContent('#assessment-result'), /0 of 39|2 of 39/)
  assert.ok(await page.isVisible('svg.hygeia-chart'))
  await accessible(page, 'the assessment page')

  // Board Direction: every Achieved statement is true.
  await page.click('#row-A1\\.a a')
  await page.waitForURL(/\/items\/A1\.a$/)
  await accessible(page, 'an outcome page')
  for (const n of [1, 2, 3, 4]) await page.check(`[id="tick-A1.a.A.${n}"]`)
  await page.fill('#narrative', 'The board owns cyber risk and reviews it quarterly.')
  await page.click('main form button:has-text("Save")')
  await page.waitForURL(new RegExp(`${assessmentPath}#row-A1.a$`))
  assert.match(await page.textContent('[id="row-A1.a"]'), /Achieved.*Meets profile/s)

  // The board minutes, uploaded on the outcome.
  await page.goto(`${server.url}${assessmentPath}/items/A1.a`)
  await page.click('text=Add evidence')
  await page.fill('#evidence_title', 'Board minutes, May')
  await page.setInputFiles('#evidence_file', { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 board minutes') })
  await page.click('button:has-text("Add evidence")')
  await page.waitForURL(/\/items\/A1\.a#evidence$/)
  assert.match(await page.textContent('#item-evidence'), /Board minutes, May/)
  await page.context().close()
})

test('the SIRO signs it off and the published report carries the digest', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'siro@riverside.example')
  await page.waitForURL(/\/orgs\/[0-9a-f-]+$/)
  await page.goto(server.url + assessmentPath)
  await page.click('button:has-text("Publish")')
  assert.match(await page.textContent('#confirm-error'), /sign off/)
  await page.check('#confirm')
  await page.click('button:has-text("Publish")')
  await page.waitForURL(/#sealed$/)
  assert.equal((await page.textContent('#assessment-status')).trim(), 'Published')
  const digest = (await page.textContent('#assessment-digest')).trim()
  assert.match(digest, /^[0-9a-f]{64}$/)
  await accessible(page, 'the published assessment')

  await page.click('a:has-text("Report")')
  await page.waitForURL(/\/report$/)
  assert.equal((await page.textContent('#assessment-digest')).trim(), digest)
  assert.match(await page.textContent('main'), /Gap to the target profile/)
  await accessible(page, 'the report')
  await page.context().close()
})

test('the regulator sees the published assessment and records its review', async () => {
  const page = await newPage(browser)
  await signIn(page, server.url, 'inspector@regulator.example')
  await setUpMfa(page)
  await page.goto(server.url)
  await follow(page, 'Published assessments')
  assert.match(await page.textContent('#remit-assessments'), /CAF: patient administration system/)
  await accessible(page, 'the published assessments')
  await page.click('#remit-assessments a:has-text("CAF: patient administration system")')
  await page.selectOption('#outcome', 'concerns')
  await page.click('button:has-text("Record review")')
  assert.match(await page.textContent('#comment-error'), /say what concerns you/)
  await page.fill('#comment', 'B5.c backups are not yet assessed.')
  await page.click('button:has-text("Record review")')
  await page.waitForURL(/#reviews$/)
  assert.match(await page.textContent('#assessment-reviews'), /Accepted with concerns.*B5\.c backups/s)
  await accessible(page, 'a published assessment seen by the regulator')
  await page.context().close()
})
