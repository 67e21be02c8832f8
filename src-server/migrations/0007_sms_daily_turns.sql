-- Which till sends a business day's scheduled SMS (birthdays, win-back) for the whole chain. The
-- first till to ask becomes the chain's sender and keeps the days while it asks for them (its
-- outbox remembers what it sent, so a birthday is not sent again on the next day of its window);
-- another till takes over when the sender is revoked or has not asked for two days. `claimed`: the
-- holder itself asked for that day (a day handed to a silent sender is not).
CREATE TABLE sms_daily_turns (
  day      text PRIMARY KEY,
  till_id  text NOT NULL REFERENCES tills (id),
  at       bigint NOT NULL,
  claimed  boolean NOT NULL
);
