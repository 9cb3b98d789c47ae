-- Headless Neovim against `patchlens lsp --stdio` (run by nvim.test.ts).
-- Opens the file in $PATCHLENS_FILE, attaches the server given as a JSON
-- list in $PATCHLENS_CMD, waits for the diagnostics, asks for a hover at
-- $PATCHLENS_HOVER_LINE (1-based) / $PATCHLENS_HOVER_COL (0-based), writes
-- what Neovim got to $PATCHLENS_OUT as JSON and quits.
-- Neovim 0.7 (Debian 12) has no vim.lsp.start: start_client + buf_attach_client.
local out = {}
local function finish()
  local f = io.open(os.getenv('PATCHLENS_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode(os.getenv('PATCHLENS_CMD'))
  local file = os.getenv('PATCHLENS_FILE')
  out.nvim = vim.version()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local start = vim.lsp.start or nil
  local client_id
  local config = {
    name = 'patchlens',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    settings = { patchlens = { rules = { disabled = {} } } },
  }
  if start then
    client_id = start(config)
    out.api = 'vim.lsp.start'
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
    out.api = 'vim.lsp.start_client'
  end
  out.client = client_id ~= nil
  local found = vim.wait(90000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == 'STALE-COMMENT-IDENT' then return true end
    end
    return false
  end, 50)
  out.waited = found
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, code = code, message = d.message, severity = d.severity, source = d.source })
  end
  local line = tonumber(os.getenv('PATCHLENS_HOVER_LINE')) - 1
  local col = tonumber(os.getenv('PATCHLENS_HOVER_COL'))
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col } }
  local results = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 30000) or {}
  for _, r in pairs(results) do
    if r.result and r.result.contents then
      local c = r.result.contents
      out.hover = type(c) == 'table' and (c.value or c[1]) or c
    end
    if r.err then out.hover_error = r.err.message end
  end
  local symbols = vim.lsp.buf_request_sync(buf, 'textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } }, 30000) or {}
  out.symbols = {}
  for _, r in pairs(symbols) do
    for _, s in ipairs(r.result or {}) do table.insert(out.symbols, s.name) end
  end
  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)
if not ok then out.error = tostring(err) end
finish()
