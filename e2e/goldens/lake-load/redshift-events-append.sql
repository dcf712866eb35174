create schema if not exists "shop_mysql";

create table if not exists "analytics"."shop_mysql"."events" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

create temporary table "events__strata_load_0" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "events__strata_load_0"
from 's3://acme-lake/prod/raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

create temporary table "events__strata_load_1" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "events__strata_load_1"
from 's3://acme-lake/prod/raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

insert into "analytics"."shop_mysql"."events" ("order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at")
select "order_id", "amount", "updated_at", cast(null as varchar(65535)) as "note", "_strata_load_id", "_strata_loaded_at" from "events__strata_load_0"
union all
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at" from "events__strata_load_1";

drop table "events__strata_load_0";

drop table "events__strata_load_1";
