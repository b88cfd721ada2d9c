// The user-profiles service under test, built as main.ts builds it.
import type { ServiceKit } from "../../../../app/services/kit/service";
import { createUsersService } from "../../../../app/services/users/service";
import { readUsersSettings } from "../../../../app/services/users/settings";
import { capturedLogger, serviceEnv, type ServiceTestContext } from "./harness";

export async function startUsers(
    context: ServiceTestContext,
): Promise<ServiceKit & { logs: Record<string, unknown>[] }> {
    const { logger, lines } = capturedLogger();
    const kit = await createUsersService(readUsersSettings(serviceEnv(context, "users")), { logger });
    await kit.app.ready();
    return Object.assign(kit, { logs: lines });
}
