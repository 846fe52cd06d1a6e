'use strict';
// Names the boxes select2 builds for the admin's searchable pickers after the field's own label:
// select2 hides the <select> and shows its own combobox and search input, which screen readers
// (and axe) would otherwise find without a name. Runs after Django's autocomplete.js.
{
  const $ = django.jQuery;

  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    const text = label ? label.textContent : select.getAttribute('aria-label') || '';
    return text.replace(/[:：]\s*$/, '').trim();
  }

  function nameBoxes(select) {
    const name = fieldName(select);
    const picker = $(select).data('select2');
    if (!name || !picker) {
      return;
    }
    const boxes = picker.$container.find('.select2-selection, .select2-selection__rendered[role], .select2-search__field')
      .add(picker.$dropdown.find('.select2-search__field'));
    boxes.each(function () {
      // select2 points aria-labelledby at the chosen value, which is empty until one is chosen.
      this.removeAttribute('aria-labelledby');
      this.setAttribute('aria-label', name);
    });
  }

  function nameAll(root) {
    $(root).find('select.admin-autocomplete').each(function () {
      nameBoxes(this);
    }).on('select2:open select2:close change', function () {
      nameBoxes(this);
    });
  }

  $(function () {
    nameAll(document);
  });
  document.addEventListener('formset:added', function (event) {
    nameAll(event.target);
  });
}
