import { identityCovers } from "../shared/ses";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

/**
 * The asynchronous tier's shape: its queues, its functions and which function consumes which
 * queue. Names are used in physical names (`<namePrefix>-<name>`), so they are short and fixed;
 * config keys use their camelCase form (`async.functions.orderProcessor.timeoutSeconds`).
 */
export const QUEUE_NAMES = ["orders", "notifications", "images", "cart-events"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const FUNCTION_NAMES = [
    "order-intake",
    "order-processor",
    "notifier",
    "cart-reminders",
    "thumbnailer",
    "cart-abandonment",
    "dlq-redrive",
    "db-migrate",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The function each queue's event source mapping invokes. */
export const QUEUE_CONSUMERS: Readonly<Record<QueueName, FunctionName>> = {
    orders: "order-processor",
    notifications: "notifier",
    images: "thumbnailer",
    "cart-events": "cart-reminders",
};

/** AWS's rules, checked here so that a bad value fails the plan instead of the deployment. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** API Gateway HTTP APIs wait at most 30 s for an integration: the intake must answer before. */
export const API_MAX_TIMEOUT_SECONDS = 29;
/** AWS's recommendation for SQS event sources: the visibility timeout covers six function timeouts (plus the batching window). */
export const VISIBILITY_FACTOR = 6;
export const SQS_MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
export const SQS_MAX_RETENTION_DAYS = 14;
/**
 * A standard queue's message expires by its first enqueue time, in the DLQ too: a source keeping
 * messages longer than this would leave less than four days to examine and redrive them.
 */
export const MAX_SOURCE_RETENTION_DAYS = 10;
/** Lambda keeps this much of the account's concurrency unreserved: reservations beyond it fail. */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;
/** Above this batch size Lambda requires a batching window of at least one second. */
export const SQS_BATCH_WITHOUT_WINDOW = 10;

export interface FunctionSettings {
    memoryMb: number;
    timeoutSeconds: number;
    /** Reserved concurrency: guaranteed to the function and its ceiling; none when undefined. */
    reservedConcurrency?: number;
}

/** A queue and its event source mapping. */
export interface QueueSettings {
    visibilityTimeoutSeconds: number;
    batchSize: number;
    batchingWindowSeconds: number;
    /** The most concurrent invocations the mapping starts (2-1000). */
    maximumConcurrency: number;
}

export interface NotificationSettings {
    /** The From address; SES must have verified `senderIdentity`. */
    senderEmail: string;
    /** The verified SES identity the address belongs to (a domain or the address itself). */
    senderIdentity: string;
    configurationSet?: string;
    smsSenderId?: string;
    storeName: string;
    /** https://<domain>, for links in messages. */
    storeUrl: string;
    /** Where the order processor sends low-stock alerts. */
    lowStockAlertEmail: string;
}

export interface ThumbnailSettings {
    widths: number[];
    maxSourceBytes: number;
    maxInputPixels: number;
}

export interface CartSweepSettings {
    /** EventBridge Scheduler expression: rate(...) or cron(...). */
    schedule: string;
    timezone: string;
    /** 0: run on time; otherwise the scheduler may start a run up to this many minutes late. */
    flexibleWindowMinutes: number;
    retryAttempts: number;
    maximumEventAgeSeconds: number;
    idleMinutes: number;
    maxAgeHours: number;
    maxRemindersPerRun: number;
}

export interface AsyncConfig {
    maxReceiveCount: number;
    /** How long the source queues keep a message; their dead-letter queues keep 14 days. */
    messageRetentionSeconds: number;
    /** The account's Lambda concurrency quota in the region (reservations must leave 100 of it). */
    accountConcurrencyLimit: number;
    functions: Record<FunctionName, FunctionSettings>;
    queues: Record<QueueName, QueueSettings>;
    notifications: NotificationSettings;
    thumbnails: ThumbnailSettings;
    cartSweep: CartSweepSettings;
}

/** "cart-events" -> "cartEvents": the config key of a name. */
export const configKeyOf = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

interface FunctionDefaults {
    memoryMb: number;
    timeoutSeconds: number;
    /**
     * Production's reserved concurrency: each function keeps that much of the account's
     * concurrency, and cannot exceed it (which also caps the database connections of those that
     * hold one). Development reserves none: new accounts' quotas leave nothing to reserve.
     */
    prodReserved: number;
}

// Sized for the work: the processor places orders one after another on one connection, the
// thumbnailer decodes images (CPU scales with memory), the operators' functions run long.
const FUNCTION_DEFAULTS: Record<FunctionName, FunctionDefaults> = {
    "order-intake": { memoryMb: 256, timeoutSeconds: 10, prodReserved: 50 },
    "order-processor": { memoryMb: 512, timeoutSeconds: 30, prodReserved: 20 },
    notifier: { memoryMb: 256, timeoutSeconds: 30, prodReserved: 10 },
    "cart-reminders": { memoryMb: 256, timeoutSeconds: 30, prodReserved: 5 },
    thumbnailer: { memoryMb: 1536, timeoutSeconds: 60, prodReserved: 10 },
    "cart-abandonment": { memoryMb: 256, timeoutSeconds: 120, prodReserved: 1 },
    "dlq-redrive": { memoryMb: 256, timeoutSeconds: 300, prodReserved: 1 },
    "db-migrate": { memoryMb: 256, timeoutSeconds: 300, prodReserved: 1 },
};

const QUEUE_DEFAULTS: Record<
    QueueName,
    { batchSize: number; batchingWindowSeconds: number; maximumConcurrency: number }
> = {
    orders: { batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 10 },
    notifications: { batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 5 },
    images: { batchSize: 5, batchingWindowSeconds: 0, maximumConcurrency: 5 },
    // Reminders are not urgent: fuller batches, fewer invocations.
    "cart-events": { batchSize: 10, batchingWindowSeconds: 20, maximumConcurrency: 2 },
};

const FUNCTION_FIELDS = ["memoryMb", "timeoutSeconds", "reservedConcurrency"] as const;
const QUEUE_FIELDS = ["visibilityTimeoutSeconds", "batchSize", "batchingWindowSeconds", "maximumConcurrency"] as const;
const NOTIFICATION_FIELDS = [
    "senderEmail",
    "senderIdentity",
    "configurationSet",
    "smsSenderId",
    "storeName",
    "lowStockAlertEmail",
] as const;
const THUMBNAIL_FIELDS = ["widths", "maxSourceMiB", "maxInputMegapixels"] as const;
const SWEEP_FIELDS = [
    "schedule",
    "timezone",
    "flexibleWindowMinutes",
    "retryAttempts",
    "maximumEventAgeSeconds",
    "idleMinutes",
    "maxAgeHours",
    "maxRemindersPerRun",
] as const;
const TOP_FIELDS = [
    "maxReceiveCount",
    "queueRetentionDays",
    "accountConcurrencyLimit",
    "functions",
    "queues",
    "notifications",
    "thumbnails",
    "cartSweep",
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SES_IDENTITY = /^([^\s@]+@)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** SES configuration set names: letters, digits, hyphens and underscores, at most 64. */
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
/** SNS sender ids: 1-11 letters and digits, at least one letter (the notifier checks the same). */
const SMS_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
/** Scheduler's rate and cron expressions (the cron has six fields: minutes to year). */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;
const TIMEZONE = /^(UTC|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2})$/;

export function readAsyncConfig(r: ConfigReader, stack: StackConfig): AsyncConfig {
    r.section("async", TOP_FIELDS);
    const functions = readFunctions(r, stack);
    const queues = readQueues(r, functions);
    return {
        maxReceiveCount: r.integer("async.maxReceiveCount", { min: 1, max: 1000, default: 5 }),
        messageRetentionSeconds:
            r.integer("async.queueRetentionDays", {
                min: 1,
                max: MAX_SOURCE_RETENTION_DAYS,
                default: 4,
                fix: `the dead-letter queues keep a message ${SQS_MAX_RETENTION_DAYS} days from its first enqueue: keep the source's retention at ${MAX_SOURCE_RETENTION_DAYS} days or less`,
            }) *
            24 *
            3600,
        accountConcurrencyLimit: readConcurrencyLimit(r, functions),
        functions,
        queues,
        notifications: readNotifications(r, stack),
        thumbnails: readThumbnails(r),
        cartSweep: readCartSweep(r),
    };
}

function readFunctions(r: ConfigReader, stack: StackConfig): Record<FunctionName, FunctionSettings> {
    r.section("async.functions", FUNCTION_NAMES.map(configKeyOf));
    const settings = {} as Record<FunctionName, FunctionSettings>;
    for (const fn of FUNCTION_NAMES) {
        const base = `async.functions.${configKeyOf(fn)}`;
        const defaults = FUNCTION_DEFAULTS[fn];
        r.section(base, FUNCTION_FIELDS);
        const maxTimeout = fn === "order-intake" ? API_MAX_TIMEOUT_SECONDS : LAMBDA_MAX_TIMEOUT_SECONDS;
        const timeoutSeconds = r.integer(`${base}.timeoutSeconds`, {
            min: 1,
            max: maxTimeout,
            default: defaults.timeoutSeconds,
            fix: fn === "order-intake" ? "the HTTP API waits at most 30 s for it: keep it under that" : undefined,
        });
        const reservedKey = `${base}.reservedConcurrency`;
        const reservedConcurrency = r.has(reservedKey)
            ? // 0 would stop the function altogether: removing the key is how to reserve nothing.
              r.integer(reservedKey, { min: 1, max: 10000, fix: "set 1 or more, or remove the key to reserve none" })
            : stack.isProduction
              ? defaults.prodReserved
              : undefined;
        settings[fn] = {
            memoryMb: r.integer(`${base}.memoryMb`, { min: 128, max: 10240, default: defaults.memoryMb }),
            timeoutSeconds,
            reservedConcurrency,
        };
    }
    return settings;
}

function readQueues(
    r: ConfigReader,
    functions: Record<FunctionName, FunctionSettings>,
): Record<QueueName, QueueSettings> {
    r.section("async.queues", QUEUE_NAMES.map(configKeyOf));
    const settings = {} as Record<QueueName, QueueSettings>;
    for (const queue of QUEUE_NAMES) {
        const base = `async.queues.${configKeyOf(queue)}`;
        const consumer = QUEUE_CONSUMERS[queue];
        const consumerKey = `async.functions.${configKeyOf(consumer)}`;
        const defaults = QUEUE_DEFAULTS[queue];
        r.section(base, QUEUE_FIELDS);

        const batchSize = r.integer(`${base}.batchSize`, { min: 1, max: 10000, default: defaults.batchSize });
        const batchingWindowSeconds = r.integer(`${base}.batchingWindowSeconds`, {
            min: 0,
            max: 300,
            default: defaults.batchingWindowSeconds,
        });
        if (batchSize > SQS_BATCH_WITHOUT_WINDOW && batchingWindowSeconds < 1) {
            r.problem(
                `${base}.batchingWindowSeconds`,
                batchingWindowSeconds,
                `must be at least 1 with a batch size over ${SQS_BATCH_WITHOUT_WINDOW} (batchSize is ${batchSize}), or Lambda rejects the mapping`,
                r.fixWith(
                    `${base}.batchingWindowSeconds`,
                    "set a window of 1-300 seconds, or a batch size of 10 or less",
                    "5",
                ),
            );
        }

        const maximumConcurrency = r.integer(`${base}.maximumConcurrency`, {
            min: 2,
            max: 1000,
            default: defaults.maximumConcurrency,
        });
        const reserved = functions[consumer].reservedConcurrency;
        if (reserved !== undefined && maximumConcurrency > reserved) {
            r.problem(
                `${base}.maximumConcurrency`,
                maximumConcurrency,
                `exceeds ${consumerKey}.reservedConcurrency (${reserved}): the extra invocations would only be throttled`,
                `lower it to ${reserved} or less, or raise the reserved concurrency`,
            );
        }

        // Lambda keeps a batch invisible for the function's run and its retries within the batch window.
        const minimumVisibility = VISIBILITY_FACTOR * functions[consumer].timeoutSeconds + batchingWindowSeconds;
        const visibilityTimeoutSeconds = r.integer(`${base}.visibilityTimeoutSeconds`, {
            min: 0,
            max: SQS_MAX_VISIBILITY_SECONDS,
            default: minimumVisibility,
        });
        if (visibilityTimeoutSeconds < minimumVisibility) {
            r.problem(
                `${base}.visibilityTimeoutSeconds`,
                visibilityTimeoutSeconds,
                `is below ${VISIBILITY_FACTOR} x ${consumerKey}.timeoutSeconds (${functions[consumer].timeoutSeconds}) + the batching window (${batchingWindowSeconds}) = ${minimumVisibility}: ` +
                    "a message would become visible again while its batch is still being processed",
                r.fixWith(
                    `${base}.visibilityTimeoutSeconds`,
                    `raise it to ${minimumVisibility} or more (at most ${SQS_MAX_VISIBILITY_SECONDS}), or shorten the function's timeout`,
                    String(minimumVisibility),
                ),
            );
        }
        settings[queue] = { visibilityTimeoutSeconds, batchSize, batchingWindowSeconds, maximumConcurrency };
    }
    return settings;
}

function readConcurrencyLimit(r: ConfigReader, functions: Record<FunctionName, FunctionSettings>): number {
    const limit = r.integer("async.accountConcurrencyLimit", { min: 10, max: 1_000_000, default: 1000 });
    const reserved = FUNCTION_NAMES.reduce((sum, fn) => sum + (functions[fn].reservedConcurrency ?? 0), 0);
    if (reserved > limit - LAMBDA_MIN_UNRESERVED_CONCURRENCY) {
        r.problem(
            "async.accountConcurrencyLimit",
            limit,
            `leaves ${limit - reserved} unreserved after the functions reserve ${reserved}; Lambda requires at least ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} and rejects the reservations`,
            `lower the functions' reservedConcurrency, or raise the account's Lambda concurrency quota (Service Quotas) and set this to the new quota`,
        );
    }
    return limit;
}

function readNotifications(r: ConfigReader, stack: StackConfig): NotificationSettings {
    r.section("async.notifications", NOTIFICATION_FIELDS);
    const senderEmail = r.string("async.notifications.senderEmail", {
        default: `no-reply@${stack.domain.name}`,
        pattern: EMAIL,
        describe: "an e-mail address",
        example: `no-reply@${stack.domain.name}`,
    });
    const senderIdentity = r.string("async.notifications.senderIdentity", {
        default: senderEmail.split("@")[1] ?? stack.domain.name,
        pattern: SES_IDENTITY,
        describe: "an SES identity (a lower-case domain or an e-mail address)",
        example: stack.domain.name,
    });
    if (!identityCovers(senderIdentity, senderEmail)) {
        r.problem(
            "async.notifications.senderIdentity",
            senderIdentity,
            `does not cover the sender ${senderEmail}: SES sends only from a verified identity`,
            r.fixWith(
                "async.notifications.senderIdentity",
                "name the sender's domain or the address itself",
                senderEmail.split("@")[1],
            ),
        );
    }
    return {
        senderEmail,
        senderIdentity,
        configurationSet: r.optionalString("async.notifications.configurationSet", {
            pattern: CONFIGURATION_SET,
            describe: "an SES configuration set name",
        }),
        smsSenderId: r.optionalString("async.notifications.smsSenderId", {
            pattern: SMS_SENDER_ID,
            describe: "an SMS sender id (1-11 letters and digits, at least one letter)",
        }),
        storeName: r.string("async.notifications.storeName", {
            default: "Shop",
            pattern: /^.{1,64}$/,
            describe: "a name of at most 64 characters",
        }),
        storeUrl: `https://${stack.domain.name}`,
        lowStockAlertEmail: r.string("async.notifications.lowStockAlertEmail", {
            default: stack.alertEmail,
            pattern: EMAIL,
            describe: "an e-mail address",
        }),
    };
}

function readThumbnails(r: ConfigReader): ThumbnailSettings {
    r.section("async.thumbnails", THUMBNAIL_FIELDS);
    const key = "async.thumbnails.widths";
    const raw = r.value(key);
    const widths = raw === undefined ? [200, 400] : Array.isArray(raw) ? raw.map(Number) : [NaN];
    if (
        widths.length < 1 ||
        widths.length > 5 ||
        widths.some((w) => !Number.isInteger(w) || w < 16 || w > 2048) ||
        new Set(widths).size !== widths.length
    ) {
        r.problem(
            key,
            raw,
            "must list 1-5 distinct widths in pixels, each 16-2048",
            r.fixWith(key, "list the widths to make", "[200, 400]"),
        );
    }
    return {
        widths,
        maxSourceBytes: r.integer("async.thumbnails.maxSourceMiB", { min: 1, max: 200, default: 20 }) * 1024 * 1024,
        maxInputPixels: Math.round(
            r.number("async.thumbnails.maxInputMegapixels", { min: 0.01, max: 268, default: 40 }) * 1_000_000,
        ),
    };
}

function readCartSweep(r: ConfigReader): CartSweepSettings {
    r.section("async.cartSweep", SWEEP_FIELDS);
    const key = "async.cartSweep.schedule";
    const schedule = r.string(key, { default: "rate(15 minutes)" });
    const rate = RATE.exec(schedule);
    if (rate ? Number(rate[1]) < 1 || (Number(rate[1]) === 1) !== !rate[2].endsWith("s") : !CRON.test(schedule)) {
        r.problem(
            key,
            schedule,
            "is not a Scheduler rate or cron expression (rate(1 minute), rate(15 minutes), cron(0/15 * * * ? *))",
            r.fixWith(key, "use rate(<n> minutes|hours|days) (singular for 1) or a six-field cron", "rate(15 minutes)"),
        );
    }
    const idleMinutes = r.integer("async.cartSweep.idleMinutes", { min: 1, max: 7 * 24 * 60, default: 60 });
    const maxAgeHours = r.integer("async.cartSweep.maxAgeHours", { min: 1, max: 30 * 24, default: 72 });
    if (maxAgeHours * 60 <= idleMinutes) {
        r.problem(
            "async.cartSweep.maxAgeHours",
            maxAgeHours,
            `must be longer than idleMinutes (${idleMinutes} minutes): no cart would ever be reminded`,
            r.fixWith("async.cartSweep.maxAgeHours", "raise it", "72"),
        );
    }
    return {
        schedule,
        timezone: r.string("async.cartSweep.timezone", {
            default: "UTC",
            pattern: TIMEZONE,
            describe: "an IANA time zone (UTC, Africa/Johannesburg)",
        }),
        // Scheduler's flexible window: 1-1440 minutes when on, none when off.
        flexibleWindowMinutes: r.integer("async.cartSweep.flexibleWindowMinutes", { min: 0, max: 1440, default: 5 }),
        retryAttempts: r.integer("async.cartSweep.retryAttempts", { min: 0, max: 185, default: 3 }),
        maximumEventAgeSeconds: r.integer("async.cartSweep.maximumEventAgeSeconds", {
            min: 60,
            max: 86400,
            default: 900,
        }),
        idleMinutes,
        maxAgeHours,
        maxRemindersPerRun: r.integer("async.cartSweep.maxRemindersPerRun", { min: 1, max: 10000, default: 500 }),
    };
}
