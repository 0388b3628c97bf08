-- calendar: working days on the State Council's calendar (DOMAIN section 9, W5).
SET search_path = public, subsidy;
SET datestyle = 'ISO, YMD';

-- Holidays and 调休 working weekends around Spring Festival and National Day, several years.
SELECT d::date AS day, to_char(d::date, 'Dy') AS dow, is_workday(d::date) AS workday, c.name
  FROM (VALUES ('2018-02-10'), ('2018-02-11'), ('2018-02-15'), ('2018-02-21'), ('2018-02-22'), ('2018-02-24'),
               ('2019-02-02'), ('2019-02-03'), ('2019-02-04'), ('2019-02-10'), ('2019-02-11'),
               ('2019-09-29'), ('2019-10-01'), ('2019-10-07'), ('2019-10-08'), ('2019-10-12'),
               ('2020-01-24'), ('2020-01-31'), ('2020-02-02'), ('2020-02-03'),
               ('2024-02-04'), ('2024-02-10'), ('2024-02-17'), ('2024-02-18'),
               ('2025-09-28'), ('2025-10-08'), ('2025-10-11'),
               ('2026-02-14'), ('2026-02-28'), ('2026-09-20'),
               ('2019-03-02'), ('2019-03-04')) v(d)
  LEFT JOIN calendar_in_force c ON c.day = v.d::date
 ORDER BY 1;

-- Working days a year, the State Council's arithmetic: (31 Dec of the year before, 31 Dec].
SELECT y AS year, workdays_between(make_date(y, 1, 1) - 1, make_date(y, 12, 31)) AS workdays
  FROM generate_series(2019, 2026) y;
SELECT workdays_between('2018-01-01', '2018-12-31') + is_workday('2018-01-01')::integer AS workdays_2018;

-- add_workdays: after, before, zero, across a year.
SELECT add_workdays('2019-09-27', 1) AS after_friday_before_national_day,
       add_workdays('2019-10-08', -1) AS before_first_day_back,
       add_workdays('2019-10-05', 0) AS zero_is_the_day_itself,
       add_workdays('2019-10-05', 1) AS first_after_a_holiday,
       add_workdays('2018-12-28', 3) AS across_new_year,
       add_workdays('2020-01-23', 1) AS after_the_2020_spring_festival_extension;
SELECT workdays_between('2019-10-08', '2019-09-27') AS backwards, workdays_between('2019-10-03', '2019-10-03') AS same_day;

-- W5: publicity ends on its 7th working day, the start day counted when it is one.
SELECT s::date AS starts_on, to_char(s::date, 'Dy') AS dow, publicity_end(s::date, 7) AS ends_on,
       workdays_between(s::date - 1, publicity_end(s::date, 7)) AS working_days
  FROM (VALUES ('2019-07-01'), ('2019-07-06'), ('2019-09-27'), ('2019-09-29'), ('2020-01-20'),
               ('2024-02-04'), ('2025-09-30')) v(s)
 ORDER BY 1;
SELECT publicity_end('2019-07-01', 10) AS ten_working_days;
SELECT publicity_end('2019-07-01', 0);

-- Outside the loaded years: an error, never a guess.
SELECT is_workday('2017-12-31');
SELECT add_workdays('2026-12-30', 5);
SELECT add_workdays('2018-01-03', -5);
SELECT workdays_between('2026-12-01', '2027-01-05');
SELECT is_workday('infinity');

-- A committed change to the calendar counts at once; a DBA's local row overrides a shipped one.
INSERT INTO calendar (day, is_off_day, name) VALUES ('2019-07-03', true, '测试：临时假日');
SELECT is_workday('2019-07-03') AS local_holiday, publicity_end('2019-07-01', 7) AS ends_on;
INSERT INTO calendar (day, is_off_day, name) VALUES ('2019-10-08', true, '测试：覆盖发布的日历');
SELECT is_workday('2019-10-08') AS overridden, name, origin FROM calendar_in_force WHERE day = '2019-10-08';
DELETE FROM calendar WHERE origin = 'local';
SELECT is_workday('2019-07-03') AS back_to_work, is_workday('2019-10-08') AS shipped_again;
-- loading a year makes it known
INSERT INTO calendar (day, is_off_day, name) VALUES ('2027-01-01', true, '元旦');
SELECT is_workday('2027-01-01') AS new_year_2027, is_workday('2027-01-04') AS monday_2027;
DELETE FROM calendar WHERE origin = 'local';
UPDATE calendar SET is_off_day = false WHERE day = '2019-10-01';

-- subsidy.today: the business date, set only by a superuser (tests, replays).
SELECT today() = (now() AT TIME ZONE INTERVAL '+08:00')::date AS defaults_to_the_date_in_china;
SET subsidy.today = '2019-07-11';
SELECT today();
SET subsidy.today = '2019-02-30';
SET subsidy.today = 'tomorrow';
RESET subsidy.today;
SELECT today() = (now() AT TIME ZONE INTERVAL '+08:00')::date AS reset;
