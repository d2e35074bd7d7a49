// Shared pieces of the browser tests: a Hygeia server with demo data, Debian's chromium driven
// by playwright-core, TOTP codes, and an accessibility check with axe-core.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
export const PASSWORD = 'hygeia-demo-2026'
const BIN = process.env.HYGEIA_BIN ?? new URL('../target/debug/hygeia', import.meta.url).pathname
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

/** Starts `hygeia serve --demo` on a free port with its own data folder. */
export async function startServer () {
  const dataDir = mkdtempSync(join(tmpdir(), 'hygeia-e2e-'))
  const child = spawn(BIN, ['--data-dir', dataDir, 'serve', '--demo', '--listen', '127.0.0.1:0'], {
    env: { ...process.env, HYGEIA_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise((resolve, reject) => {
    child.on('exit', code => reject(new Error(`hygeia exited with ${code}`)))
    lines.on('line', line => {
      const m = line.match(/Hygeia is running at (http:\/\/\S+)/)
      if (m) resolve(m[1])
    })
  })
  return {
    url,
    async stop () {
      child.kill('SIGTERM')
      await new Promise(resolve => child.once('exit', resolve))
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Debian's chromium, headless, with nothing reaching out to the network. */
export async function launch () {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

/** A fresh browser context. CSP is bypassed only so that axe can be injected. */
export async function newPage (browser) {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await context.newPage()
  page.on('pageerror', e => { throw e })
  return page
}

export async function signIn (page, base, email) {
  await page.goto(`${base}/sign-in`)
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, at a given time. */
export function totp (base32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[19] & 0x0f
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000
  return String(code).padStart(6, '0')
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** Runs axe-core (WCAG 2.x A and AA rules) and returns serious or critical violations. */
export async function seriousViolations (page) {
  await page.addScriptTag({ content: AXE })
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }))
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
}

/** Sets up MFA at the prompt after a first sign-in; returns the secret. */
export async function setUpMfa (page) {
  await page.waitForURL(/\/account\/mfa$/)
  const secret = (await page.textContent('#totp-secret')).trim()
  await page.fill('#code', totp(secret))
  await page.click('button[type=submit]')
  await page.waitForSelector('#recovery-codes')
  return secret
}

