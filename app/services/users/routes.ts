// The user-profiles routes: small handlers over profiles.ts and privacy.ts. Every /users/me
// route acts on the signed-in customer (the token's subject); /users/admin needs the admins group.
import { Type } from "typebox";
import { principalOf, type TokenVerifier } from "../kit/auth";
import { problemResponses, type ServiceApp } from "../kit/http";
import { forbidden } from "../kit/problems";
import type { Privacy } from "./privacy";
import type { Profiles } from "./profiles";
import {
    Address,
    AddressChanges,
    Addresses,
    AddressId,
    CustomerQuery,
    Customers,
    EmailProof,
    Export,
    NewAddress,
    Profile,
    ProfileChanges,
} from "./schemas";

export interface UsersRoutesDeps {
    profiles: Profiles;
    privacy: Privacy;
    auth: TokenVerifier;
}

export function usersRoutes(app: ServiceApp, deps: UsersRoutesDeps): void {
    const { profiles, privacy, auth } = deps;
    // Authentication first (onRequest): without a valid token nothing else answers.
    const customer = { onRequest: auth.customer };
    const me = { tags: ["customer"], security: [{ cognito: [] }] };
    const refused = problemResponses(400, 401, 404, 422);
    const sub = (request: Parameters<typeof principalOf>[0]) => principalOf(request).sub;

    app.addHook("onSend", async (request, reply) => {
        // Personal data: never stored by CloudFront or a browser's cache.
        if (request.url.startsWith("/users/")) reply.header("cache-control", "private, no-store");
    });

    app.get(
        "/users/me",
        {
            ...customer,
            schema: {
                ...me,
                summary: "The signed-in customer's profile (created empty on first use)",
                response: { 200: Profile, ...refused },
            },
        },
        async (request) => profiles.get(sub(request)),
    );

    app.patch(
        "/users/me",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Change name, phone, locale, preferred currency or marketing consent (its time is recorded)",
                body: ProfileChanges,
                response: { 200: Profile, ...refused },
            },
        },
        async (request) => profiles.update(sub(request), request.body),
    );

    app.put(
        "/users/me/email",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Record the e-mail address Cognito verified, from the customer's own ID token",
                body: EmailProof,
                response: { 200: Profile, ...problemResponses(400, 401, 403) },
            },
        },
        async (request) => {
            const claims = await auth.verifyIdToken(request.body.idToken);
            if (claims.sub !== sub(request)) throw forbidden("the ID token is another user's");
            if (!claims.emailVerified) throw forbidden("verify the e-mail address with Cognito first");
            return profiles.setVerifiedEmail(claims.sub, claims.email);
        },
    );

    app.get(
        "/users/me/addresses",
        {
            ...customer,
            schema: { ...me, summary: "The address book, the default first", response: { 200: Addresses, ...refused } },
        },
        async (request) => ({ addresses: await profiles.addresses(sub(request)) }),
    );

    app.post(
        "/users/me/addresses",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Add an address (the first one is the default)",
                body: NewAddress,
                response: { 201: Address, ...refused },
            },
        },
        async (request, reply) => {
            const address = await profiles.addAddress(sub(request), request.body);
            return reply.code(201).header("location", `/users/me/addresses/${address.id}`).send(address);
        },
    );

    app.get(
        "/users/me/addresses/:addressId",
        {
            ...customer,
            schema: { ...me, summary: "One address", params: AddressId, response: { 200: Address, ...refused } },
        },
        async (request) => profiles.address(sub(request), request.params.addressId),
    );

    app.patch(
        "/users/me/addresses/:addressId",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Change an address",
                params: AddressId,
                body: AddressChanges,
                response: { 200: Address, ...refused },
            },
        },
        async (request) => profiles.updateAddress(sub(request), request.params.addressId, request.body),
    );

    app.post(
        "/users/me/addresses/:addressId/default",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Make an address the default",
                params: AddressId,
                response: { 200: Address, ...refused },
            },
        },
        async (request) => profiles.makeDefault(sub(request), request.params.addressId),
    );

    app.delete(
        "/users/me/addresses/:addressId",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Remove an address (the oldest other one becomes the default)",
                params: AddressId,
                response: { 204: Type.Null(), ...refused },
            },
        },
        async (request, reply) => {
            await profiles.removeAddress(sub(request), request.params.addressId);
            return reply.code(204).send(null);
        },
    );

    app.get(
        "/users/me/export",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Everything the shop holds about the customer, as JSON",
                response: { 200: Export, ...refused },
            },
        },
        async (request, reply) =>
            reply
                .header("content-disposition", 'attachment; filename="my-data.json"')
                .send(await privacy.export(sub(request))),
    );

    app.delete(
        "/users/me",
        {
            ...customer,
            schema: {
                ...me,
                summary: "Erase the customer: profile and addresses deleted, orders anonymised, Cognito user deleted",
                response: { 204: Type.Null(), ...problemResponses(401, 503) },
            },
        },
        async (request, reply) => {
            await privacy.erase(principalOf(request));
            return reply.code(204).send(null);
        },
    );

    app.get(
        "/users/admin/customers",
        {
            onRequest: auth.admin,
            schema: {
                tags: ["admin"],
                security: [{ cognito: [] }],
                summary: "Find customers by the beginning of their e-mail address or phone number",
                querystring: CustomerQuery,
                response: { 200: Customers, ...problemResponses(400, 401, 403) },
            },
        },
        async (request) => ({ customers: await profiles.search(request.query) }),
    );
}
