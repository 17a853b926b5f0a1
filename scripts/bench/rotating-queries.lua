-- wrk script: every request searches a different query from the file named by QUERIES (one query
-- per line, URL-encoded), so that the API's micro-cache cannot answer: the uncached figure.
local queries = {}
local next_query = 1

function init(args)
  for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
  next_query = math.random(#queries)
end

function request()
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/api/papers/search?q=" .. queries[next_query] .. "&limit=20")
end
