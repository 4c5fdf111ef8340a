#!/usr/bin/env node
// Entry point: registers the TypeScript loader (tsx) so the sources run without a build step.
process.env.TZ ??= 'Europe/Paris';
import { register } from 'tsx/esm/api';
register();
await import('../src/bin/maillage.ts');
