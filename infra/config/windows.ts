/**
 * The time windows AWS data services take as text: a daily "hh24:mi-hh24:mi" window (snapshots)
 * and a weekly "ddd:hh24:mi-ddd:hh24:mi" window (maintenance), both in UTC. Parsed into minutes
 * so that their length and their overlap can be checked before AWS rejects them at deploy time.
 */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** ElastiCache (like RDS) refuses windows shorter than an hour. */
export const MIN_WINDOW_MINUTES = 60;

/** A window as [start, end) in minutes from the start of its period; `end` may pass the period's end when it wraps. */
export interface TimeWindow {
    start: number;
    end: number;
}

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${WEEKDAYS.join("|")}):${TIME}-(${WEEKDAYS.join("|")}):${TIME}$`);

/** A daily window, or the reason the text is not one. */
export function parseDailyWindow(text: string): TimeWindow | string {
    const m = DAILY.exec(text);
    if (!m) return "is not a daily window of the form hh24:mi-hh24:mi (UTC)";
    const start = minutes(m[1], m[2]);
    return withinPeriod(start, minutes(m[3], m[4]), MINUTES_PER_DAY);
}

/** A weekly window, or the reason the text is not one. */
export function parseWeeklyWindow(text: string): TimeWindow | string {
    const m = WEEKLY.exec(text.toLowerCase());
    if (!m) return "is not a weekly window of the form ddd:hh24:mi-ddd:hh24:mi (UTC, ddd one of sun..sat)";
    const start = dayOffset(m[1]) + minutes(m[2], m[3]);
    return withinPeriod(start, dayOffset(m[4]) + minutes(m[5], m[6]), MINUTES_PER_WEEK);
}

/** True when the daily window, on any day, shares a minute with the weekly one. */
export function dailyOverlapsWeekly(daily: TimeWindow, weekly: TimeWindow): boolean {
    for (let day = -1; day <= 7; day++) {
        const start = day * MINUTES_PER_DAY + daily.start;
        const end = start + (daily.end - daily.start);
        for (const shift of [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK]) {
            if (start < weekly.end + shift && weekly.start + shift < end) return true;
        }
    }
    return false;
}

function withinPeriod(start: number, rawEnd: number, period: number): TimeWindow | string {
    const end = rawEnd <= start ? rawEnd + period : rawEnd;
    if (end - start < MIN_WINDOW_MINUTES) return `lasts ${end - start} minutes; AWS requires at least ${MIN_WINDOW_MINUTES}`;
    return { start, end };
}

function minutes(hours: string, mins: string): number {
    return Number(hours) * 60 + Number(mins);
}

function dayOffset(day: string): number {
    return WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) * MINUTES_PER_DAY;
}
