/**
 * RDS time windows (UTC): the daily backup window "hh24:mi-hh24:mi" and the weekly maintenance
 * window "ddd:hh24:mi-ddd:hh24:mi". Both may wrap (past midnight, past the end of the week).
 */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** AWS rejects shorter backup and maintenance windows. */
export const MIN_WINDOW_MINUTES = 30;

/** A window as minutes from its period's start (midnight, or Monday 00:00) and its length. */
export interface Window {
    start: number;
    minutes: number;
}

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** Parses a daily window; returns a reason instead when it is malformed. */
export function parseDailyWindow(text: string): Window | string {
    const m = DAILY.exec(text);
    if (!m) return "is not a daily window hh24:mi-hh24:mi (UTC)";
    return span(Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4]), DAY_MINUTES);
}

/** Parses a weekly window (day names in lower case, as RDS reports them). */
export function parseWeeklyWindow(text: string): Window | string {
    const m = WEEKLY.exec(text);
    if (!m) return `is not a weekly window ddd:hh24:mi-ddd:hh24:mi (UTC, ddd one of ${DAYS.join(", ")})`;
    const at = (day: string, h: string, mi: string) => DAYS.indexOf(day as (typeof DAYS)[number]) * DAY_MINUTES + Number(h) * 60 + Number(mi);
    return span(at(m[1], m[2], m[3]), at(m[4], m[5], m[6]), WEEK_MINUTES);
}

function span(start: number, end: number, period: number): Window | string {
    const minutes = (end - start + period) % period;
    if (minutes < MIN_WINDOW_MINUTES) return `lasts ${minutes} minutes; AWS requires at least ${MIN_WINDOW_MINUTES}`;
    return { start, minutes };
}

/** Whether a daily window, repeated every day of the week, overlaps a weekly window. */
export function dailyOverlapsWeekly(daily: Window, weekly: Window): boolean {
    return DAYS.some((_, day) => overlapsOnWeek({ start: day * DAY_MINUTES + daily.start, minutes: daily.minutes }, weekly));
}

/** Both windows laid on a circular week; checked again one week later to catch wrapping. */
function overlapsOnWeek(a: Window, b: Window): boolean {
    return [-WEEK_MINUTES, 0, WEEK_MINUTES].some((shift) => a.start + shift < b.start + b.minutes && b.start < a.start + shift + a.minutes);
}
