// The user-profiles service's container entry point (see app/services/README.md).
import { main } from "../kit/service";
import { createUsersService } from "./service";
import { readUsersSettings } from "./settings";

main(() => createUsersService(readUsersSettings()));
