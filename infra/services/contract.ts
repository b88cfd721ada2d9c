import { ServiceName } from "../workloads";

/**
 * What every service image must do (the README's "Container contract"): serve HTTP on
 * CONTAINER_PORT, answer GET HEALTH_CHECK_PATH with 200 when ready, run as CONTAINER_USER, write
 * only under /tmp (and its EFS mount, if any), and ship `sh` and `curl` for the container health check.
 */
export const CONTAINER_PORT = 8080;
export const HEALTH_CHECK_PATH = "/healthz";
/** uid:gid; also the owner EFS access points give every file (infra/storage/shared-files.ts). */
export const CONTAINER_USER = "1000:1000";
export const TMP_VOLUME = "tmp";

/** The requests the internal load balancer sends each service: `/<service>*`, path unchanged. */
export const pathPattern = (service: ServiceName) => `/${service}*`;

/** The PostgreSQL role each service logs in as with IAM authentication (created once with the master secret). */
export const databaseUser = (service: ServiceName) => `svc_${service}`;

/**
 * What each service needs beyond the database and the cache, which all of them use. Kept here,
 * in one table, so that each grant and each network rule can be traced to a need.
 */
export interface ServiceNeeds {
    /** Reads product images from the assets bucket (S3 and the assets key). */
    readsAssets: boolean;
    /** Signs presigned image uploads under uploads/ (the thumbnailer's input), within the thumbnailer's limits. */
    signsUploads: boolean;
    /** Deletes a customer's Cognito user (erasure): cognito-idp:AdminDeleteUser on the pool. */
    deletesUsers: boolean;
    /** Mounts this shared-files purpose read-write (EFS over TLS with IAM). */
    filePurpose?: string;
    /** Sends orders to the orders queue, when the asynchronous tier provides one. */
    sendsOrders: boolean;
    /** Calls a third party on the internet over HTTPS (through NAT); says whom (security group rule description characters only). */
    internet?: string;
}

export const SERVICE_NEEDS: Readonly<Record<ServiceName, ServiceNeeds>> = {
    catalog: {
        readsAssets: true,
        signsUploads: true,
        deletesUsers: false,
        filePurpose: "product-media",
        sendsOrders: false,
    },
    orders: { readsAssets: false, signsUploads: false, deletesUsers: false, sendsOrders: true },
    users: { readsAssets: false, signsUploads: false, deletesUsers: true, sendsOrders: false },
    payments: {
        readsAssets: false,
        signsUploads: false,
        deletesUsers: false,
        sendsOrders: false,
        internet: "the payment provider API",
    },
};
