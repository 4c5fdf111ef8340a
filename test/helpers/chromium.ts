// Where Debian's Chromium lives and the flags this machine needs. Kept apart from browser.ts
// (which imports vitest's expect) so that test/global-setup.ts can launch it too.
import fs from 'node:fs';
import type { LaunchOptions } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// closed network refuses.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const chromiumLaunchOptions: LaunchOptions = { executablePath: CHROMIUM, headless: true, args: FLAGS };
