// Starts fauxqs (an SQS/SNS/S3 emulator that speaks the AWS wire protocols) on a free loopback
// port and writes the port to the file named by the first argument. fauxqs' own CLI listens on
// every interface at a fixed port, and names queues http://sqs.<region>.localhost:<port>/...,
// a host the SDK (which sends requests to the queue URL's host) cannot resolve without DNS
// tricks; with the store's host unset, queue URLs use the address the client called.
import { writeFileSync } from "node:fs";
import { buildApp } from "fauxqs";

const dist = import.meta.resolve("fauxqs");
const { SqsStore } = await import(new URL("./sqs/sqsStore.js", dist));
const { SnsStore } = await import(new URL("./sns/snsStore.js", dist));
const { S3Store } = await import(new URL("./s3/s3Store.js", dist));

const portFile = process.argv[2];
if (!portFile) {
    console.error("usage: node test/support/emulator.mjs <port-file>");
    process.exit(2);
}
const sqsStore = new SqsStore();
sqsStore.host = "";
const app = buildApp({
    logger: false,
    defaultRegion: "af-south-1",
    stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() },
});
await app.listen({ host: "127.0.0.1", port: 0 });
writeFileSync(portFile, String(app.server.address().port));
for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => app.close().then(() => process.exit(0)));
}
