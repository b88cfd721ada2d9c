-- The catalogue: a category tree, products (brand, description, attributes, images), their
-- variants (the SKUs that orders reference), a price per SKU and market currency, and stock.
-- Money is an integer count of the currency's minor unit (cents, kobo...), never a float.

-- The markets' currencies; a price in any other currency cannot exist.
CREATE TABLE catalog.currencies (
    currency     char(3) PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
    minor_digits smallint NOT NULL CHECK (minor_digits BETWEEN 0 AND 3)
);
INSERT INTO catalog.currencies (currency, minor_digits) VALUES ('ZAR', 2), ('NGN', 2), ('KES', 2), ('GHS', 2), ('USD', 2);

CREATE TABLE catalog.categories (
    category_id text PRIMARY KEY CHECK (category_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    parent_id   text REFERENCES catalog.categories (category_id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    position    integer NOT NULL DEFAULT 0,
    CONSTRAINT categories_not_own_parent CHECK (parent_id IS DISTINCT FROM category_id)
);
CREATE INDEX categories_by_parent ON catalog.categories (parent_id);

CREATE TABLE catalog.products (
    product_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    brand       text NOT NULL CHECK (length(brand) BETWEEN 1 AND 100),
    category_id text NOT NULL REFERENCES catalog.categories (category_id),
    attributes  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    -- Archived products stay for the orders that reference their SKUs; they are no longer shown or sold.
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Full-text search: the title and brand weigh more than the description.
    search      tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title || ' ' || brand), 'A') || setweight(to_tsvector('english', description), 'B')
    ) STORED
);
CREATE INDEX products_search ON catalog.products USING gin (search);
-- Typo tolerance: trigram similarity of the query to the title.
CREATE INDEX products_title_trigrams ON catalog.products USING gin (lower(title) extensions.gin_trgm_ops);
CREATE INDEX products_by_category ON catalog.products (category_id, created_at DESC, product_id) WHERE status = 'active';
CREATE INDEX products_newest ON catalog.products (created_at DESC, product_id) WHERE status = 'active';

CREATE TABLE catalog.product_images (
    product_id uuid NOT NULL REFERENCES catalog.products (product_id),
    position   integer NOT NULL CHECK (position >= 0),
    -- The uploaded original, under uploads/ of the assets bucket; its thumbnails are derived.
    object_key text NOT NULL CHECK (object_key ~ '^uploads/[A-Za-z0-9/_.-]+$'),
    alt_text   text NOT NULL DEFAULT '' CHECK (length(alt_text) <= 300),
    PRIMARY KEY (product_id, position)
);

-- A variant of a product (a size, a colour): what is stocked, priced and ordered. Its name is
-- the whole of what an order line or a reminder shows ("Classic T-shirt, red, M").
CREATE TABLE catalog.skus (
    sku        text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{0,63}$'),
    product_id uuid NOT NULL REFERENCES catalog.products (product_id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    position   integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skus_by_product ON catalog.skus (product_id);

-- The one price the shop charges: what the catalogue shows is what the order pipeline charges.
CREATE TABLE catalog.prices (
    sku          text NOT NULL REFERENCES catalog.skus (sku),
    currency     char(3) NOT NULL REFERENCES catalog.currencies (currency),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, currency)
);
CREATE INDEX prices_by_currency ON catalog.prices (currency, amount_minor);

CREATE TABLE catalog.stock (
    sku                 text PRIMARY KEY REFERENCES catalog.skus (sku),
    on_hand             integer NOT NULL CHECK (on_hand >= 0),
    -- Held by confirmed orders until they ship (the order pipeline's column).
    reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Overselling is impossible whatever the code does.
    CONSTRAINT stock_reserved_within_on_hand CHECK (reserved <= on_hand)
);
