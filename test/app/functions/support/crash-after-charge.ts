// A Lambda container that dies between the charge and the commit: it runs the real order
// processor on the SQS event read from stdin, with the configuration from its environment, and
// SIGKILLs itself as soon as the payment provider has answered. Nothing runs after that (no
// rollback, no finally, no response): the database sees its connection drop, as in a crash.
import type { SQSEvent } from "aws-lambda";
import { readFileSync } from "fs";
import { readOrderProcessorConfig } from "../../../../app/functions/order-processor/config";
import { createOrderProcessor } from "../../../../app/functions/order-processor";

const event = JSON.parse(readFileSync(0, "utf8")) as SQSEvent;
const processor = createOrderProcessor(readOrderProcessorConfig(), {
    wrapPayments: (provider) => ({
        name: provider.name,
        refundByKey: (key) => provider.refundByKey(key),
        charge: async (request) => {
            const result = await provider.charge(request);
            process.kill(process.pid, "SIGKILL");
            return result;
        },
    }),
});
processor.handle(event).then(() => {
    console.error("the processor finished: the crash did not happen");
    process.exit(3);
});
