import { ConfigReader } from "./reader";

/**
 * The time windows AWS data services take as text (UTC): a daily "hh24:mi-hh24:mi" window
 * (backups, snapshots) and a weekly "ddd:hh24:mi-ddd:hh24:mi" window (maintenance). Both may wrap
 * (past midnight, past the end of the week). Parsed so that their length and overlap are checked
 * before AWS rejects them at deploy time.
 */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** The shortest windows each service accepts. */
export const RDS_MIN_WINDOW_MINUTES = 30;
export const ELASTICACHE_MIN_WINDOW_MINUTES = 60;

/** A window as minutes from its period's start (midnight, or Monday 00:00) and its length. */
export interface Window {
    start: number;
    minutes: number;
}

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** Parses a daily window at least `minMinutes` long; returns a reason instead when it is not one. */
export function parseDailyWindow(text: string, minMinutes: number): Window | string {
    const m = DAILY.exec(text);
    if (!m) return "is not a daily window hh24:mi-hh24:mi (UTC)";
    return span(Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4]), DAY_MINUTES, minMinutes);
}

/** Parses a weekly window (day names in lower case, as AWS reports them) at least `minMinutes` long. */
export function parseWeeklyWindow(text: string, minMinutes: number): Window | string {
    const m = WEEKLY.exec(text);
    if (!m) return `is not a weekly window ddd:hh24:mi-ddd:hh24:mi (UTC, ddd one of ${DAYS.join(", ")})`;
    const at = (day: string, h: string, mi: string) =>
        DAYS.indexOf(day as (typeof DAYS)[number]) * DAY_MINUTES + Number(h) * 60 + Number(mi);
    return span(at(m[1], m[2], m[3]), at(m[4], m[5], m[6]), WEEK_MINUTES, minMinutes);
}

function span(start: number, end: number, period: number, minMinutes: number): Window | string {
    const minutes = (end - start + period) % period;
    if (minutes < minMinutes) return `lasts ${minutes} minutes; AWS requires at least ${minMinutes}`;
    return { start, minutes };
}

/** Whether a daily window, repeated every day of the week, overlaps a weekly window. */
export function dailyOverlapsWeekly(daily: Window, weekly: Window): boolean {
    return DAYS.some((_, day) =>
        overlapsOnWeek({ start: day * DAY_MINUTES + daily.start, minutes: daily.minutes }, weekly),
    );
}

/** Both windows laid on a circular week; checked again one week later to catch wrapping. */
function overlapsOnWeek(a: Window, b: Window): boolean {
    return [-WEEK_MINUTES, 0, WEEK_MINUTES].some(
        (shift) => a.start + shift < b.start + b.minutes && b.start < a.start + shift + a.minutes,
    );
}

export interface WindowPairSettings {
    /** The daily window's key and default (backups, snapshots). */
    dailyKey: string;
    dailyDefault: string;
    /** The weekly maintenance window's key and default. */
    weeklyKey: string;
    weeklyDefault: string;
    minMinutes: number;
}

/**
 * Reads a daily and a weekly window that must not overlap (AWS rejects overlapping backup or
 * snapshot and maintenance windows), reporting each problem against its key.
 */
export function readWindowPair(r: ConfigReader, s: WindowPairSettings): { daily: string; weekly: string } {
    const daily = r.string(s.dailyKey, { default: s.dailyDefault });
    const weekly = r.string(s.weeklyKey, { default: s.weeklyDefault }).toLowerCase();
    const fix = (key: string, example: string) =>
        r.fixWith(key, `set a UTC window of ${s.minMinutes} minutes or more`, example);
    const dailyWindow = parseDailyWindow(daily, s.minMinutes);
    const weeklyWindow = parseWeeklyWindow(weekly, s.minMinutes);
    if (typeof dailyWindow === "string") r.problem(s.dailyKey, daily, dailyWindow, fix(s.dailyKey, s.dailyDefault));
    if (typeof weeklyWindow === "string")
        r.problem(s.weeklyKey, weekly, weeklyWindow, fix(s.weeklyKey, s.weeklyDefault));
    if (
        typeof dailyWindow !== "string" &&
        typeof weeklyWindow !== "string" &&
        dailyOverlapsWeekly(dailyWindow, weeklyWindow)
    ) {
        r.problem(
            s.dailyKey,
            daily,
            `overlaps the maintenance window ${weekly}, which AWS rejects`,
            `move one of ${s.dailyKey} and ${s.weeklyKey} so that they do not overlap`,
        );
    }
    return { daily, weekly };
}
