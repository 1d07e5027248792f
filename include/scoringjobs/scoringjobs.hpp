#pragma once
// Everything a user of the library needs, in one include.

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/limits.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/status.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "scoringjobs/timestamp.hpp"
#include "scoringjobs/version.hpp"
