create schema if not exists "shop_mysql";

create table if not exists "analytics"."shop_mysql"."rates" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

create temporary table "rates__strata_load_0" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "rates__strata_load_0"
from 's3://acme-lake/prod/raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

truncate "analytics"."shop_mysql"."rates";

insert into "analytics"."shop_mysql"."rates" ("order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at")
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at" from "rates__strata_load_0";

drop table "rates__strata_load_0";
