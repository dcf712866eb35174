create schema if not exists "shop_mongo";

create table if not exists "analytics"."shop_mongo"."products__variants" (
  "_strata_id" varchar(65535),
  "_strata_root_id" varchar(65535),
  "sku" varchar(65535),
  "updatedAt" timestamptz,
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

create temporary table "products__variants__strata_load_0" (
  "_strata_id" varchar(65535),
  "_strata_root_id" varchar(65535),
  "sku" varchar(65535),
  "updatedAt" timestamptz,
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "products__variants__strata_load_0"
from 's3://acme-lake/prod/raw/shop_mongo/products_variants/load_id=20261101T000000Z-00000001/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

create temporary table "products__variants__strata_load_1" (
  "_strata_id" varchar(65535),
  "_strata_root_id" varchar(65535),
  "sku" varchar(65535),
  "updatedAt" timestamptz,
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "products__variants__strata_load_1"
from 's3://acme-lake/prod/raw/shop_mongo/products_variants/load_id=20261102T000000Z-00000002/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

create temporary table "products__variants__strata_new" as
select "_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at" from (
  select *, max("_strata_load_id") over (partition by "_strata_root_id") as strata_newest
  from (
select "_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at" from "products__variants__strata_load_0"
union all
select "_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at" from "products__variants__strata_load_1"
  ) as strata_loads
) as strata_grouped
where "_strata_load_id" = strata_newest;

delete from "analytics"."shop_mongo"."products__variants" using "products__variants__strata_new" where "analytics"."shop_mongo"."products__variants"."_strata_root_id" = "products__variants__strata_new"."_strata_root_id";

insert into "analytics"."shop_mongo"."products__variants" ("_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at")
select "_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at" from "products__variants__strata_new"
where "_strata_id" is not null;

drop table "products__variants__strata_new";

drop table "products__variants__strata_load_0";

drop table "products__variants__strata_load_1";
