create schema if not exists "analytics"."shop_mongo";

create table if not exists "analytics"."shop_mongo"."products__variants" (
  "_strata_id" VARCHAR,
  "_strata_root_id" VARCHAR,
  "sku" VARCHAR,
  "updatedAt" TIMESTAMP_TZ,
  "_strata_load_id" VARCHAR,
  "_strata_loaded_at" TIMESTAMP_TZ
);

create or replace temporary table "analytics"."shop_mongo"."products__variants__strata_load" like "analytics"."shop_mongo"."products__variants";

copy into "analytics"."shop_mongo"."products__variants__strata_load"
  from @raw.strata_lake/raw/shop_mongo/products_variants/load_id=20261101T000000Z-00000001/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;

copy into "analytics"."shop_mongo"."products__variants__strata_load"
  from @raw.strata_lake/raw/shop_mongo/products_variants/load_id=20261102T000000Z-00000002/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;

delete from "analytics"."shop_mongo"."products__variants" using (select distinct "_strata_root_id" from "analytics"."shop_mongo"."products__variants__strata_load") as s
where "analytics"."shop_mongo"."products__variants"."_strata_root_id" = s."_strata_root_id";

insert into "analytics"."shop_mongo"."products__variants" ("_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at")
select "_strata_id", "_strata_root_id", "sku", "updatedAt", "_strata_load_id", "_strata_loaded_at" from (
  select *, max("_strata_load_id") over (partition by "_strata_root_id") as strata_newest from "analytics"."shop_mongo"."products__variants__strata_load"
) as strata_grouped
where "_strata_load_id" = strata_newest and "_strata_id" is not null;

drop table if exists "analytics"."shop_mongo"."products__variants__strata_load";
