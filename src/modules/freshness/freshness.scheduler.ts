// The daily reminder run inside `maillage serve` (when MAILLAGE_JOBS is on): every hour, during
// French office hours, it sends the reminders that are due. Running it again is harmless: a
// place gets at most one reminder per interval, claimed under a row lock, even across servers.
import type { AppDeps } from '../../server/deps.ts';
import { createMailer } from '../../lib/mailer.ts';
import { sendFreshnessReminders, type CampaignResult, type FreshnessDeps } from './freshness.use-cases.ts';

/** Reminders are sent between 9:00 and 18:00, Paris time: not in the middle of the night. */
export function isSendingHour(now: Date): boolean {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(now));
  return hour >= 9 && hour < 18;
}

export async function runFreshnessTick(deps: FreshnessDeps): Promise<CampaignResult | null> {
  if (!isSendingHour(deps.clock.now())) return null;
  const { sent, lieux, failed } = await sendFreshnessReminders(deps);
  return { sent, lieux, failed };
}

export function startFreshnessScheduler(deps: AppDeps, options: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const mailer = deps.mailer ?? createMailer({ smtpUrl: deps.config.smtpUrl, from: deps.config.mailFrom, logger: deps.logger });
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runFreshnessTick({ ...deps, mailer })
      .then((result) => {
        if (result?.sent || result?.failed) deps.logger.info(result, 'freshness reminders sent');
      })
      .catch((error: Error) => deps.logger.error({ error: error.message }, 'freshness reminders failed'));
  };
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      if (!deps.mailer) mailer.close();
    },
  };
}
