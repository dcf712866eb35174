create schema if not exists "shop_mysql";

create table if not exists "analytics"."shop_mysql"."orders" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

alter table "analytics"."shop_mysql"."orders" add column "note" varchar(65535);

create temporary table "orders__strata_load_0" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "orders__strata_load_0"
from 's3://acme-lake/prod/raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

create temporary table "orders__strata_load_1" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz
);

copy "orders__strata_load_1"
from 's3://acme-lake/prod/raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

create temporary table "orders__strata_new" as
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at" from (
  select *, row_number() over (partition by "order_id" order by "_strata_load_id" desc, "updated_at" desc nulls last) as strata_rank
  from (
select "order_id", "amount", "updated_at", cast(null as varchar(65535)) as "note", "_strata_load_id", "_strata_loaded_at" from "orders__strata_load_0"
union all
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at" from "orders__strata_load_1"
  ) as strata_loads
) as strata_ranked
where strata_rank = 1;

delete from "analytics"."shop_mysql"."orders" using "orders__strata_new" where "analytics"."shop_mysql"."orders"."order_id" = "orders__strata_new"."order_id";

insert into "analytics"."shop_mysql"."orders" ("order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at")
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at" from "orders__strata_new";

drop table "orders__strata_new";

drop table "orders__strata_load_0";

drop table "orders__strata_load_1";
