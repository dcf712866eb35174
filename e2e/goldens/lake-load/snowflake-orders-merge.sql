create schema if not exists "analytics"."shop_mysql";

create table if not exists "analytics"."shop_mysql"."orders" (
  "order_id" NUMBER(38,0),
  "amount" NUMBER(12,2),
  "updated_at" TIMESTAMP_TZ,
  "note" VARCHAR,
  "_strata_load_id" VARCHAR,
  "_strata_loaded_at" TIMESTAMP_TZ
);

alter table "analytics"."shop_mysql"."orders" add column if not exists "note" VARCHAR;

create or replace temporary table "analytics"."shop_mysql"."orders__strata_load" like "analytics"."shop_mysql"."orders";

copy into "analytics"."shop_mysql"."orders__strata_load"
  from @raw.strata_lake/raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;

copy into "analytics"."shop_mysql"."orders__strata_load"
  from @raw.strata_lake/raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;

merge into "analytics"."shop_mysql"."orders" as t
using (
  select * from "analytics"."shop_mysql"."orders__strata_load"
  qualify row_number() over (partition by "order_id" order by "_strata_load_id" desc, "updated_at" desc nulls last) = 1
) as s
on t."order_id" = s."order_id"
when matched then update set "amount" = s."amount", "updated_at" = s."updated_at", "note" = s."note", "_strata_load_id" = s."_strata_load_id", "_strata_loaded_at" = s."_strata_loaded_at"
when not matched then insert ("order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at") values (s."order_id", s."amount", s."updated_at", s."note", s."_strata_load_id", s."_strata_loaded_at");

drop table if exists "analytics"."shop_mysql"."orders__strata_load";
