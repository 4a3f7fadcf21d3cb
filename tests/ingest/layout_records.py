"""Small hand-written records, one per layout, shared by the layout tests."""

from __future__ import annotations

PANEL = """Riverside Health Equity Commission
Panel Meeting: Warm Homes and Health
Tuesday 3rd May 2022, 09.30 – 12.00
Town Hall Chamber and online
Chaired by Ann Example, Chair of the Commission

Hillside Ward
Speaker: Dr Bea Sample – Clinical Lead, Hillside Practice
Speaker: Carl Demo – Head of Housing, Riverside Council
• Hillside has the oldest housing stock in the borough
• Key challenges:
  - Damp in private rented flats
  - Fuel debt among older tenants
• What has worked:
  - A boiler loan scheme run with the credit union
Ask of the panel:
- Fund retrofit of the worst homes first

Lowbridge
Presenters: Dee Person, Director of Public Health (Riverside Council); Ed Other [Community Lead]
- Lowbridge is a market town with poor bus links
Key challenges:
- Rural fuel poverty is hidden

Panel reflections
- The panel noted that cold homes drive winter admissions

Next steps
- The secretariat will write to each ward
"""

MINUTES = """RIVERSIDE HEALTH EQUITY COMMISSION
Programme Board – Minutes of Meeting
Date: Monday 9 May 2022
Time: 14.00 – 16.00
Venue: Committee Room 1, Riverside Civic Centre

Chair: Ann Example, Chair of the Commission
Present:
Bob Sample, Director of Finance (Riverside Council)
Cat Demo, Lived Experience Representative
In attendance:
Dan Person, Programme Manager (secretariat)
Apologies: Eve Other; Fay Name (Riverside Hospital)

1. Welcome and introductions
1.1 The Chair welcomed members and noted the meeting was quorate.

2. Community grants
2.1 The paper set out two options for the grants fund.
2.2 Decision: The Board approved option A with a 10% rural reserve.
2.3 The vote was: For 6, against 1, abstentions 2.
Action: Publish the grants prospectus — Owner: Dan Person — Due: 30 June 2022

3. Any other business
3.1 None was raised.

Actions log
No. | Action | Owner | Due
1 | Publish the grants prospectus | Dan Person | 30 June 2022

Date of next meeting: Monday 11 July 2022, 14.00, Riverside Civic Centre
"""

WORKSHOP = """Community Workshop on Fair Services
Wednesday 22 June 2022
Key points:
Access:
· Phone queues at 8am shut people out
Trust:
· People want to be believed

Breakout contributions
1. What would make services feel fairer to you?
· Same doctor every time
· Letters in plain English
2. What gets in the way of you using services?
· The bus takes an hour
· No one to look after the children

Next steps
· A written response within eight weeks
"""

GENERIC = """Listening Event Report
Friday 30 September 2022

In brief
Residents described a winter of hard choices.

Heating or eating
Almost every conversation came back to heating or food.
“I sit in my coat so the baby can have the heating on.” – resident

What happens next
The report goes to the winter planning session.
"""
