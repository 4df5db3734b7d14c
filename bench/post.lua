-- wrk script for bench/http.sh: POSTs the JSON bodies of the file $BODIES (one a line) in turn,
-- with `Authorization: Bearer $TOKEN`. Each wrk thread has its own copy and starts at line 1.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
    bodies[#bodies + 1] = line
end
local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
}
local sent = 0

request = function()
    sent = sent + 1
    return wrk.format("POST", nil, headers, bodies[(sent - 1) % #bodies + 1])
end
