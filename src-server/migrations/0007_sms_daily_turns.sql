-- Which till sends a business day's scheduled SMS (birthdays, win-back) for the whole chain: the
-- first to ask takes the day. Without it every till, holding every customer, sent each message.
CREATE TABLE sms_daily_turns (
  day      text PRIMARY KEY,
  till_id  text NOT NULL REFERENCES tills (id),
  at       bigint NOT NULL
);
