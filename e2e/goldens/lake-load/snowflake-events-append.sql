create schema if not exists "analytics"."shop_mysql";

create table if not exists "analytics"."shop_mysql"."events" (
  "order_id" NUMBER(38,0),
  "amount" NUMBER(12,2),
  "updated_at" TIMESTAMP_TZ,
  "note" VARCHAR,
  "_strata_load_id" VARCHAR,
  "_strata_loaded_at" TIMESTAMP_TZ
);

copy into "analytics"."shop_mysql"."events"
  from @raw.strata_lake/raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;

copy into "analytics"."shop_mysql"."events"
  from @raw.strata_lake/raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;
