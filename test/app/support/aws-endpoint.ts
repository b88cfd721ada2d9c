// A local HTTP endpoint for the AWS APIs fauxqs does not emulate: SES v2 SendEmail (REST JSON),
// SNS Publish to a phone number (SMS; Query protocol, XML answers), Secrets Manager
// GetSecretValue and Cognito AdminDeleteUser (JSON 1.1). The handlers' real SDK clients reach it through
// AWS_ENDPOINT_URL_<SERVICE>, so what is checked here is the wire request the SDK sends (signed
// with SigV4 for the right service), not a call on a stubbed client object.
import { randomUUID } from "crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

export interface SentEmail {
    from: string;
    to: string[];
    subject: string;
    text: string;
    html?: string;
    configurationSet?: string;
}

export interface SentSms {
    phoneNumber: string;
    message: string;
    attributes: Record<string, string>;
}

/** An error answer in the service's own shape, e.g. { status: 429, code: "TooManyRequestsException" }. */
export interface ScriptedError {
    status: number;
    code: string;
    message?: string;
}

export class LocalAwsEndpoint {
    readonly emails: SentEmail[] = [];
    readonly sms: SentSms[] = [];
    readonly secrets = new Map<string, string>();
    /** Cognito users by pool: "<pool>/<username>". AdminDeleteUser removes them. */
    readonly cognitoUsers = new Set<string>();
    /** Signing services seen in SigV4 credential scopes, for the assertion that requests are signed. */
    readonly signedFor = new Set<string>();
    private readonly scripted = new Map<string, ScriptedError[]>();
    private server?: Server;

    /** The next `times` sends to `recipient` (address or phone number) fail with `error`. */
    failFor(recipient: string, error: ScriptedError, times = 1): void {
        this.scripted.set(recipient, [
            ...(this.scripted.get(recipient) ?? []),
            ...Array<ScriptedError>(times).fill(error),
        ]);
    }

    async start(): Promise<string> {
        this.server = createServer((request, response) => {
            this.route(request, response).catch((error: Error) => {
                response
                    .writeHead(500, { "content-type": "application/json" })
                    .end(JSON.stringify({ message: error.message }));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const body = await readBody(request);
        const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
            request.headers.authorization ?? "",
        );
        if (!scope) {
            response
                .writeHead(403, { "content-type": "application/json" })
                .end(JSON.stringify({ message: "request is not SigV4-signed" }));
            return;
        }
        this.signedFor.add(scope[2]);
        if (request.method === "POST" && request.url === "/v2/email/outbound-emails")
            return this.sendEmail(JSON.parse(body), response);
        const target = request.headers["x-amz-target"];
        if (target === "secretsmanager.GetSecretValue") return this.getSecretValue(JSON.parse(body), response);
        if (target === "AWSCognitoIdentityProviderService.AdminDeleteUser")
            return this.adminDeleteUser(JSON.parse(body), response);
        const form = new URLSearchParams(body);
        if (form.get("Action") === "Publish" && form.get("PhoneNumber")) return this.publishSms(form, response);
        response
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ message: `unsupported request ${request.method} ${request.url}` }));
    }

    private sendEmail(input: SesSendEmailInput, response: ServerResponse): void {
        const to = input.Destination?.ToAddresses ?? [];
        const error = this.nextError(to[0]);
        if (error) {
            response
                .writeHead(error.status, { "content-type": "application/json", "x-amzn-errortype": error.code })
                .end(JSON.stringify({ message: error.message ?? error.code }));
            return;
        }
        const simple = input.Content?.Simple;
        this.emails.push({
            from: input.FromEmailAddress ?? "",
            to,
            subject: simple?.Subject?.Data ?? "",
            text: simple?.Body?.Text?.Data ?? "",
            html: simple?.Body?.Html?.Data,
            configurationSet: input.ConfigurationSetName,
        });
        response
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ MessageId: randomUUID() }));
    }

    private publishSms(form: URLSearchParams, response: ServerResponse): void {
        const phoneNumber = form.get("PhoneNumber")!;
        const error = this.nextError(phoneNumber);
        if (error) {
            response
                .writeHead(error.status, { "content-type": "text/xml" })
                .end(
                    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${error.code}</Code>` +
                        `<Message>${error.message ?? error.code}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
                );
            return;
        }
        const attributes: Record<string, string> = {};
        for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
            attributes[form.get(`MessageAttributes.entry.${i}.Name`)!] =
                form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
        }
        this.sms.push({ phoneNumber, message: form.get("Message") ?? "", attributes });
        response
            .writeHead(200, { "content-type": "text/xml" })
            .end(
                `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
                    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
            );
    }

    private getSecretValue(input: { SecretId?: string }, response: ServerResponse): void {
        const value = input.SecretId ? this.secrets.get(input.SecretId) : undefined;
        if (value === undefined) {
            response.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(
                JSON.stringify({
                    __type: "ResourceNotFoundException",
                    Message: "Secrets Manager can't find the specified secret.",
                }),
            );
            return;
        }
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(
            JSON.stringify({
                ARN: input.SecretId,
                Name: input.SecretId!.split(":").pop(),
                SecretString: value,
                VersionId: randomUUID(),
                VersionStages: ["AWSCURRENT"],
                CreatedDate: Date.now() / 1000,
            }),
        );
    }

    private adminDeleteUser(input: { UserPoolId?: string; Username?: string }, response: ServerResponse): void {
        const json = { "content-type": "application/x-amz-json-1.1" };
        const error = this.nextError(input.Username);
        const user = `${input.UserPoolId}/${input.Username}`;
        if (error) {
            response
                .writeHead(error.status, json)
                .end(JSON.stringify({ __type: error.code, message: error.message ?? error.code }));
        } else if (!this.cognitoUsers.delete(user)) {
            response
                .writeHead(400, json)
                .end(JSON.stringify({ __type: "UserNotFoundException", message: "User does not exist." }));
        } else {
            response.writeHead(200, json).end("{}");
        }
    }

    private nextError(recipient: string | undefined): ScriptedError | undefined {
        return recipient ? this.scripted.get(recipient)?.shift() : undefined;
    }
}

interface SesSendEmailInput {
    FromEmailAddress?: string;
    ConfigurationSetName?: string;
    Destination?: { ToAddresses?: string[] };
    Content?: {
        Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } };
    };
}

function readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        request.on("error", reject);
    });
}
