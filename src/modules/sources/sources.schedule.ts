// Cron schedules of sources: five fields (minute hour day month weekday) or a shorthand,
// read in French time (a producer who says "at 3 am" means Paris time).
import cronParser from 'cron-parser';

export const scheduleTimeZone = 'Europe/Paris';
const SHORTHANDS = ['@hourly', '@daily', '@weekly', '@monthly'];
const FIVE_FIELDS = /^(\S+\s+){4}\S+$/;

export const scheduleMessage = 'La planification doit être une expression cron à 5 champs (minute heure jour mois jour-de-semaine, ex. « 0 3 * * * » pour 3 h chaque nuit) ou @hourly, @daily, @weekly, @monthly.';

/** The French reason a schedule is refused, or null when it is valid. */
export function scheduleProblem(expression: string): string | null {
  const text = expression.trim();
  if (!SHORTHANDS.includes(text) && !FIVE_FIELDS.test(text)) return scheduleMessage;
  try {
    cronParser.parseExpression(expandShorthand(text), { tz: scheduleTimeZone });
    return null;
  } catch (error) {
    return `${scheduleMessage} (« ${text} » : ${frenchCronError((error as Error).message)})`;
  }
}

/** The first time strictly after `after` at which the schedule is due. */
export function nextScheduledAt(expression: string, after: Date): Date {
  const interval = cronParser.parseExpression(expandShorthand(expression.trim()), { currentDate: after, tz: scheduleTimeZone });
  return interval.next().toDate();
}

// cron-parser knows @hourly and @daily but not @weekly/@monthly in every version.
function expandShorthand(text: string): string {
  switch (text) {
    case '@hourly':
      return '0 * * * *';
    case '@daily':
      return '0 0 * * *';
    case '@weekly':
      return '0 0 * * 0';
    case '@monthly':
      return '0 0 1 * *';
    default:
      return text;
  }
}

function frenchCronError(message: string): string {
  if (/constraint/i.test(message)) return 'une valeur sort des bornes permises';
  if (/invalid characters/i.test(message)) return 'caractères non permis';
  return 'expression illisible';
}
