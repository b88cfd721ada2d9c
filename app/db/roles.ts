// The application's PostgreSQL roles (created and granted by migrations/0006_roles.sql), and the
// schemas the migrations own. A test keeps this list, the migration and the infrastructure's
// IAM grants (rds-db:connect as exactly these users) in step.

/** The services' roles: `svc_<service>`. */
export const SERVICE_ROLES = {
    catalog: "svc_catalog",
    orders: "svc_orders",
    users: "svc_users",
    payments: "svc_payments",
} as const;

/** The roles of the functions that use PostgreSQL (the migrator uses the master user). */
export const FUNCTION_ROLES = {
    "order-processor": "fn_order_processor",
    "cart-abandonment": "fn_cart_abandonment",
} as const;

export const APPLICATION_ROLES: readonly string[] = [...Object.values(SERVICE_ROLES), ...Object.values(FUNCTION_ROLES)];

/** Every schema the migrations create (public keeps only schema_migrations). */
export const APPLICATION_SCHEMAS = ["catalog", "orders", "users", "payments", "payment_sandbox", "extensions"] as const;
