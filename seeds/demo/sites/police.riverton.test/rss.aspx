<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RSS • Riverton Police Department</title>
</head>
<body class="civicengage">
<div id="divSiteWrapper"><h1>RSS Feeds</h1>
<p>Subscribe to Riverton Police Department news in your feed reader.</p>
<table class="rssFeeds"><tr><th>Module</th><th>Feed</th></tr>
<tr><td>News Flash</td><td><a href="/RSSFeed.aspx?ModID=1&amp;CID=Police-News-2">Police News</a></td></tr>
<tr><td>Calendar</td><td><a href="/RSSFeed.aspx?ModID=58&amp;CID=All-calendar.xml">All Calendars</a></td></tr>
</table>
<span class="cpBylineTextTS">Government Websites by <a href="https://connect.civicplus.test/referral">CivicPlus&reg;</a></span></div>
</body>
</html>
