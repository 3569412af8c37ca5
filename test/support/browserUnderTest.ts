import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): the browser tests drive it, and never download one. */
export const debianChromium = '/usr/bin/chromium';
/** Set (as in CI) to make a missing Chromium fail the browser tests rather than skip them. */
export const requireBrowserVariable = 'SHEPHERD_REQUIRE_BROWSER';

/**
 * Whether the browser tests can run, or why not. Without Chromium they are skipped with that reason,
 * unless `SHEPHERD_REQUIRE_BROWSER` is set: then a test fails.
 */
export function browserUnderTest(): { noBrowser: string | undefined } {
  const noBrowser = existsSync(debianChromium)
    ? undefined
    : `no Chromium at ${debianChromium}: install Debian's package (apt-get install chromium) to run the browser tests`;
  if (noBrowser !== undefined && process.env[requireBrowserVariable] !== undefined) {
    it(`finds Chromium, which ${requireBrowserVariable} requires`, () => assert.fail(noBrowser));
  }
  return { noBrowser };
}

/** Headless Debian Chromium, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: debianChromium, headless: true });
}
