<?php
// Interop check: PHP's own SoapClient (ext/soap) against the mktows SOAP service.
//
// What it proves: a client built the way Marketo's PHP users built theirs can load
// <endpoint>?WSDL, sign requests with an AuthenticationHeader whose timestamp carries a
// non-UTC offset (DATE_W3C in America/Los_Angeles), start an importToList of a small
// made-up CSV and poll getImportToListStatus until COMPLETE, with every response
// decoded by SoapClient from the served WSDL.
//
// Environment: MKTOWS_ENDPOINT (a loopback http URL), MKTOWS_USER_ID, MKTOWS_SECRET_KEY;
// INTEROP_POLL_INTERVAL_MS, the wait between status polls in milliseconds (default 2000;
// run.sh sets a shorter one to match the sandbox's short --import-delay).
// Exits 0 when the import completes with consistent counts, 1 on any fault or
// unexpected state, 2 on a configuration error.

declare(strict_types=1);

const MKTOWS_NAMESPACE = 'http://www.marketo.com/mktows/';
const DEFAULT_POLL_INTERVAL_MS = 2000;
const POLL_MAX_ATTEMPTS = 30;
const TIMESTAMP_ZONE = 'America/Los_Angeles';

const PROGRAM_NAME = 'Interop Spring Webinar';
const LIST_NAME = 'PHP Interop Attendees';
const IMPORT_HEADER = 'Email Address,First Name,Last Name,Company Name';
const IMPORT_ROWS = [
    'quill.harrow@example.net,Quill,Harrow,Larchmere Fabrication',
    'odalys.venn@example.org,Odalys,Venn,Brightwater Cartography',
    'tamsin.okafor@example.com,Tamsin,Okafor,Pellucid Ferments',
];

function fail(string $message, int $exitCode = 1): never
{
    fwrite(STDERR, "php_import_flow: FAIL: $message\n");
    exit($exitCode);
}

function requireEnv(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fail("environment variable $name is missing; set it before running this script", 2);
    }
    return $value;
}

/**
 * Rejects an endpoint that is not plain http on a loopback address, so this check can
 * never send traffic to a real Marketo instance or any other host.
 */
function requireLoopbackEndpoint(string $endpoint): void
{
    $parts = parse_url($endpoint);
    $host = $parts['host'] ?? '';
    $isLoopback = $host === 'localhost' || $host === '[::1]' || str_starts_with($host, '127.');
    if (($parts['scheme'] ?? '') !== 'http' || !$isLoopback) {
        fail("MKTOWS_ENDPOINT '$endpoint' is not an http URL on a loopback address; point it at the local sandbox", 2);
    }
}

/**
 * Builds a fresh AuthenticationHeader: HMAC-SHA1 over timestamp . userId, as lowercase hex.
 */
function authenticationHeader(string $userId, string $secretKey): SoapHeader
{
    $now = new DateTime('now', new DateTimeZone(TIMESTAMP_ZONE));
    $timestamp = $now->format(DATE_W3C);

    $header = new stdClass();
    $header->mktowsUserId = $userId;
    $header->requestSignature = hash_hmac('sha1', $timestamp . $userId, $secretKey);
    $header->requestTimestamp = $timestamp;

    return new SoapHeader(MKTOWS_NAMESPACE, 'AuthenticationHeader', $header);
}

function describeFault(SoapFault $fault, SoapClient $client): string
{
    $code = $fault->detail->serviceException->code ?? '(no serviceException code)';
    $text = "SOAP fault {$fault->faultcode}: {$fault->getMessage()} [serviceException code $code]";
    $response = $client->__getLastResponse();
    if ($response !== null && $response !== '') {
        $text .= "\nlast response:\n$response";
    }
    return $text;
}

function call(SoapClient $client, string $operation, array $params, string $userId, string $secretKey): object
{
    try {
        return $client->__soapCall($operation, [$params], null, authenticationHeader($userId, $secretKey));
    } catch (SoapFault $fault) {
        fail("$operation failed: " . describeFault($fault, $client));
    }
}

/** Returns INTEROP_POLL_INTERVAL_MS as a positive number of milliseconds, or the default. */
function pollIntervalMs(): int
{
    $value = getenv('INTEROP_POLL_INTERVAL_MS');
    if ($value === false || $value === '') {
        return DEFAULT_POLL_INTERVAL_MS;
    }
    if (!ctype_digit($value) || (int) $value < 1) {
        fail("INTEROP_POLL_INTERVAL_MS '$value' is not a positive whole number of milliseconds", 2);
    }
    return (int) $value;
}

/** Returns an optional int field of the status result, or null when it was xsi:nil or absent. */
function optionalCount(object $result, string $field): ?int
{
    return isset($result->$field) ? (int) $result->$field : null;
}

$endpoint = requireEnv('MKTOWS_ENDPOINT');
$userId = requireEnv('MKTOWS_USER_ID');
$secretKey = requireEnv('MKTOWS_SECRET_KEY');
requireLoopbackEndpoint($endpoint);
$pollIntervalMs = pollIntervalMs();

if (!extension_loaded('soap')) {
    fail("PHP's soap extension is not loaded; install php-soap (tests/interop/install.sh does)", 2);
}

try {
    $client = new SoapClient($endpoint . '?WSDL', [
        'soap_version' => SOAP_1_1,
        // The served WSDL may carry another instance's address: always post to the endpoint given.
        'location' => $endpoint,
        'cache_wsdl' => WSDL_CACHE_NONE,
        'connection_timeout' => 10,
        'exceptions' => true,
        'trace' => true,
    ]);
} catch (SoapFault $fault) {
    fail("loading the WSDL from $endpoint?WSDL failed: {$fault->getMessage()}");
}

$functions = $client->__getFunctions();
$expected = ['importToList', 'getImportToListStatus'];
foreach ($expected as $operation) {
    if (!preg_grep("/ $operation\\(/", $functions)) {
        fail("the WSDL at $endpoint?WSDL declares no operation $operation; SoapClient found: " . implode('; ', $functions));
    }
}

$importParams = [
    'programName' => PROGRAM_NAME,
    'importFileHeader' => IMPORT_HEADER,
    'importFileRows' => ['stringItem' => IMPORT_ROWS],
    'importListMode' => 'UPSERTLEADS',
    'listName' => LIST_NAME,
    'clearList' => false,
    // Required but nillable: SoapClient sends <campaignName xsi:nil="true"/>.
    'campaignName' => null,
];
$started = call($client, 'importToList', $importParams, $userId, $secretKey);
$importStatus = $started->result->importStatus ?? null;
if (!in_array($importStatus, ['PROCESSING', 'COMPLETE'], true)) {
    fail('importToList returned importStatus ' . var_export($importStatus, true) . ', expected PROCESSING or COMPLETE');
}
printf("importToList: %d rows into '%s' / '%s', importStatus %s\n", count(IMPORT_ROWS), PROGRAM_NAME, LIST_NAME, $importStatus);

$statusParams = ['programName' => PROGRAM_NAME, 'listName' => LIST_NAME];
$result = null;
for ($attempt = 1; $attempt <= POLL_MAX_ATTEMPTS; $attempt++) {
    $result = call($client, 'getImportToListStatus', $statusParams, $userId, $secretKey)->result;
    printf("getImportToListStatus attempt %d: %s\n", $attempt, $result->status);
    if ($result->status === 'COMPLETE') {
        break;
    }
    if ($result->status !== 'PROCESSING') {
        $summary = $result->importSummary ?? '(no importSummary)';
        fail("import into '" . LIST_NAME . "' ended with status {$result->status}: $summary");
    }
    usleep($pollIntervalMs * 1000);
}
if ($result->status !== 'COMPLETE') {
    fail(sprintf('import still PROCESSING after %d polls %d ms apart', POLL_MAX_ATTEMPTS, $pollIntervalMs));
}

$imported = optionalCount($result, 'rowsImported');
$failed = optionalCount($result, 'rowsFailed');
$ignored = optionalCount($result, 'rowsIgnored');
printf(
    "import COMPLETE: estimatedRows=%s rowsImported=%s rowsFailed=%s rowsIgnored=%s\n",
    var_export(optionalCount($result, 'estimatedRows'), true),
    var_export($imported, true),
    var_export($failed, true),
    var_export($ignored, true),
);

if ($imported === null || $failed === null || $ignored === null) {
    fail('a COMPLETE import must report rowsImported, rowsFailed and rowsIgnored, but at least one is nil or missing');
}
if ($failed !== 0) {
    fail("rowsFailed is $failed, expected 0: every row sent is a valid lead");
}
if ($imported + $ignored !== count(IMPORT_ROWS)) {
    fail(sprintf('rowsImported + rowsIgnored is %d, expected the %d rows sent', $imported + $ignored, count(IMPORT_ROWS)));
}

echo "php_import_flow: PASS\n";
