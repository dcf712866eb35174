create schema if not exists "analytics"."shop_mysql";

create table if not exists "analytics"."shop_mysql"."feed" (
  "order_id" NUMBER(38,0),
  "amount" NUMBER(12,2),
  "updated_at" TIMESTAMP_TZ,
  "note" VARCHAR,
  "_strata_load_id" VARCHAR,
  "_strata_loaded_at" TIMESTAMP_TZ
);

truncate table "analytics"."shop_mysql"."feed";
