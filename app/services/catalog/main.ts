// The catalogue's container entry point (see app/services/README.md).
import { main } from "../kit/service";
import { createCatalogService } from "./service";
import { readCatalogSettings } from "./settings";

main(() => createCatalogService(readCatalogSettings()));
