import * as assert from "assert";
import { SERVICE_ROLES } from "../../../app/db/roles";
import { ADMIN_GROUP } from "../../../app/services/kit/auth";
import { SERVICE_NAMES } from "../../../app/services/kit/settings";
import { SOURCE_PREFIX, THUMBNAIL_PREFIX } from "../../../app/shared/media-keys";
import { THUMBNAILS_PREFIX } from "../../../infra/async/functions";
import { THUMBNAILS_PATH_PATTERN } from "../../../infra/config/edge";
import { UPLOADS_PREFIX } from "../../../infra/edge/assets";
import { USER_GROUPS } from "../../../infra/edge/identity";
import { databaseUser } from "../../../infra/services/contract";
import { SERVICES } from "../../../infra/workloads";

describe("contracts between the application and the infrastructure", function () {
    it("names the same services, and each service's database user as the infrastructure grants rds-db:connect", function () {
        assert.deepStrictEqual([...SERVICE_NAMES].sort(), [...SERVICES].sort());
        for (const service of SERVICES) assert.strictEqual(SERVICE_ROLES[service], databaseUser(service));
    });

    it("keeps the images where the bucket's trigger, the thumbnailer and CloudFront expect them", function () {
        assert.strictEqual(SOURCE_PREFIX, UPLOADS_PREFIX);
        assert.strictEqual(THUMBNAIL_PREFIX, THUMBNAILS_PREFIX);
        assert.strictEqual(THUMBNAILS_PATH_PATTERN, `/${THUMBNAIL_PREFIX}*`);
    });

    it("opens the admin routes to the Cognito group the identity tier creates", function () {
        assert.ok(USER_GROUPS.some((group) => group.name === ADMIN_GROUP));
    });
});
