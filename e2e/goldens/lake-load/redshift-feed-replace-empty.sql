create schema if not exists "shop_mysql";

create table if not exists "analytics"."shop_mysql"."feed" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

truncate "analytics"."shop_mysql"."feed";
