/**
 * Availability-zone letters of the commercial AWS regions, so that zones are validated and
 * subnets laid out without asking AWS at plan time. A zone's position in its region's list
 * fixes its subnet slot: adding a zone later never renumbers the subnets of the others.
 * To use another region, add its zone letters here.
 */
const ZONE_LETTERS: Readonly<Record<string, string>> = {
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ca-central-1": "abd",
    "ca-west-1": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-north-1": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "il-central-1": "abc",
    "me-central-1": "abc",
    "me-south-1": "abc",
    "sa-east-1": "abc",
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(ZONE_LETTERS);

/** The zone names of a region in slot order, or undefined for a region the table does not know. */
export function zonesOf(region: string): string[] | undefined {
    const letters = ZONE_LETTERS[region];
    return letters === undefined ? undefined : [...letters].map((letter) => `${region}${letter}`);
}
